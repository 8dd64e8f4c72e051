"""The playerops rules: create, read, update and delete one player, each change exactly once."""

import pytest
from pydantic import ValidationError

from events.commands import CreatePlayer, DeletePlayer, GetPlayer, UpdatePlayer
from events.domain_events import PlayerCreated, PlayerDeleted, PlayerUpdated
from events.replies import Conflict, NotFound
from events.values import PlayerChanges
from firestore_layout import player_path
from services.playerops import handlers
from tests.unit.workers.fakes import (
    FakeReader,
    FakeStore,
    FakeUnitOfWork,
    club,
    context,
    player,
)

SEASON = "2018-19"


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    store.add_club(SEASON, club("Chelsea"))
    store.add_player(SEASON, player("Hazard", "Chelsea", goals=16, price=120))
    return store


@pytest.fixture
def uow(store: FakeStore) -> FakeUnitOfWork:
    return FakeUnitOfWork(store)


def create(name: str, club_name: str = "Chelsea", **season: str) -> CreatePlayer:
    return CreatePlayer(player=player(name, club_name, goals=3), **season)


def test_a_created_player_is_stored_and_announced(store, uow):
    created = handlers.create_player(create("Pulisic", "chelsea"), context(), uow)
    assert created.player.club == "Chelsea" and created.season == SEASON
    assert store.documents[player_path(SEASON, "Chelsea", "Pulisic")]["goals"] == 3
    assert [e.event for e in uow.published] == [PlayerCreated(season=SEASON, player=created.player)]


def test_creating_a_second_player_of_the_same_name_in_a_club_is_a_conflict(uow):
    with pytest.raises(Conflict, match="Chelsea already has a player named 'hazárd'"):
        handlers.create_player(create("hazárd"), context(), uow)
    assert uow.published == []


def test_creating_a_player_in_an_unknown_club_is_not_found(uow):
    with pytest.raises(NotFound, match="Arsenal"):
        handlers.create_player(create("Ozil", "Arsenal"), context(), uow)


def test_creating_a_player_in_an_unknown_season_is_not_found(uow):
    with pytest.raises(NotFound, match="1999-00"):
        handlers.create_player(create("Ozil", season="1999-00"), context(), uow)


def test_a_redelivered_create_gets_the_same_reply_and_creates_once(uow):
    first = handlers.create_player(create("Pulisic"), context("same-id"), uow)
    again = handlers.create_player(create("Pulisic"), context("same-id"), uow)
    assert again == first and len(uow.published) == 1


def test_a_player_is_read_by_club_and_name(store):
    found = handlers.get_player(
        GetPlayer(club="Chelsea", name="hazard"), context(), FakeReader(store)
    )
    assert found.player.name == "Hazard" and found.player.price == 120


def test_reading_a_missing_player_is_not_found(store):
    with pytest.raises(NotFound, match="Chelsea has no player 'Kane'"):
        handlers.get_player(GetPlayer(club="Chelsea", name="Kane"), context(), FakeReader(store))


def test_an_update_changes_the_given_figures_and_price_and_keeps_the_rest(uow):
    changes = PlayerChanges(goals=17, price=130)
    command = UpdatePlayer(club="Chelsea", name="Hazard", changes=changes)
    updated = handlers.update_player(command, context(), uow).player
    assert (updated.goals, updated.price, updated.nationality) == (17, 130, "England")
    assert [e.event for e in uow.published] == [PlayerUpdated(season=SEASON, player=updated)]


def test_an_update_that_changes_nothing_cannot_even_be_sent():
    with pytest.raises(ValidationError, match="changes nothing"):
        UpdatePlayer(club="Chelsea", name="Hazard", changes={"goals": None})


def test_updating_a_missing_player_is_not_found(uow):
    command = UpdatePlayer(club="Chelsea", name="Kane", changes=PlayerChanges(goals=1))
    with pytest.raises(NotFound):
        handlers.update_player(command, context(), uow)


def test_a_deleted_player_is_gone_and_announced(store, uow):
    deleted = handlers.delete_player(DeletePlayer(club="Chelsea", name="Hazard"), context(), uow)
    assert player_path(SEASON, "Chelsea", "Hazard") not in store.documents
    assert [e.event for e in uow.published] == [
        PlayerDeleted(season=SEASON, club="Chelsea", name="Hazard")
    ]
    assert deleted.name == "Hazard"


def test_deleting_a_missing_player_is_not_found(uow):
    with pytest.raises(NotFound):
        handlers.delete_player(DeletePlayer(club="Chelsea", name="Kane"), context(), uow)


def test_a_redelivered_delete_gets_the_first_reply_not_a_not_found(uow):
    command = DeletePlayer(club="Chelsea", name="Hazard")
    first = handlers.delete_player(command, context("same-id"), uow)
    assert handlers.delete_player(command, context("same-id"), uow) == first
    assert len(uow.published) == 1
