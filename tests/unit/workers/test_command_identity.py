"""Exactly once per CloudEvents identity (source, id); a used identity never answers another
command; records expire after a stated window."""

from datetime import timedelta

import pytest

from events.commands import CreatePlayer, DeletePlayer, TransferPlayer
from events.replies import IdReused
from firestore_layout import EXPIRES_AT, player_path, processed_path
from services.playerops import handlers
from services.transfer.handlers import transfer_player
from services.workers.command_record import DEDUPLICATION_WINDOW
from tests.unit.workers.fakes import FakeStore, FakeUnitOfWork, club, context, player

SEASON = "2018-19"


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    store.add_club(SEASON, club("Chelsea", capital=40))
    store.add_club(SEASON, club("Liverpool", capital=200))
    store.add_player(SEASON, player("Hazard", "Chelsea", price=120))
    return store


@pytest.fixture
def uow(store: FakeStore) -> FakeUnitOfWork:
    return FakeUnitOfWork(store)


def create(name: str) -> CreatePlayer:
    return CreatePlayer(player=player(name, "Chelsea", goals=3))


def test_two_systems_using_the_same_id_each_get_their_command_applied(store, uow):
    first = handlers.create_player(create("Pulisic"), context("42", source="//shop"), uow)
    second = handlers.create_player(create("Mount"), context("42", source="//scouting"), uow)

    assert (first.player.name, second.player.name) == ("Pulisic", "Mount")
    assert player_path(SEASON, "Chelsea", "Mount") in store.documents
    assert len(uow.published) == 2


def test_a_redelivery_with_another_payload_is_refused_and_changes_nothing(store, uow):
    handlers.create_player(create("Pulisic"), context("42"), uow)
    before = dict(store.documents)

    with pytest.raises(IdReused, match="'42' from //test was used before"):
        handlers.create_player(create("Mount"), context("42"), uow)

    assert store.documents == before and len(uow.published) == 1


def test_a_redelivery_of_another_type_under_a_used_id_is_refused(store, uow):
    transfer = TransferPlayer(player="Hazard", from_club="Chelsea", to_club="Liverpool")
    handlers.create_player(create("Pulisic"), context("42", CreatePlayer.event_type), uow)

    with pytest.raises(IdReused):
        transfer_player(transfer, context("42", TransferPlayer.event_type), uow)

    assert player_path(SEASON, "Chelsea", "Hazard") in store.documents


def test_the_same_payload_spelled_differently_is_the_same_command(store, uow):
    deletion = DeletePlayer(club="Chelsea", name="Hazard")
    again = DeletePlayer.model_validate_json('{ "name": "Hazard",  "club": "Chelsea" }')

    first = handlers.delete_player(deletion, context("7"), uow)

    assert handlers.delete_player(again, context("7"), uow) == first


def test_a_record_expires_after_the_deduplication_window(store, uow):
    handlers.create_player(create("Pulisic"), context("42"), uow)
    record = store.documents[processed_path("//test", "42")]

    assert record[EXPIRES_AT] - record["recorded_at"] == DEDUPLICATION_WINDOW
    assert timedelta(days=7) <= DEDUPLICATION_WINDOW  # Pub/Sub's longest retention


def test_a_redelivery_of_the_same_command_is_counted_as_a_duplicate_suppressed(store, uow):
    handlers.create_player(create("Pulisic"), context("42", CreatePlayer.event_type), uow)
    handlers.create_player(create("Pulisic"), context("42", CreatePlayer.event_type), uow)
    handlers.create_player(create("Mount"), context("43", CreatePlayer.event_type), uow)

    assert (
        uow.registry.get_sample_value(
            "league_duplicates_suppressed_total", {"type": CreatePlayer.event_type}
        )
        == 1
    )
