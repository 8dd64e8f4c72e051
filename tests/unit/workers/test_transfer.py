"""The transfer rules: the player and the price change hands together, or nothing changes."""

import pytest

from events.commands import TransferPlayer
from events.domain_events import PlayerTransferred
from events.replies import Conflict, NotFound
from events.values import LARGEST_NUMBER
from firestore_layout import club_path, player_path, processed_path
from services.transfer.handlers import transfer_player
from tests.unit.workers.fakes import FakeStore, FakeUnitOfWork, club, context, player

SEASON = "2018-19"


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    for row in (club("Chelsea", capital=40), club("Liverpool", capital=200), club("Everton")):
        store.add_club(SEASON, row)
    store.add_player(SEASON, player("Salah", "Liverpool", goals=22, price=135))
    store.add_player(SEASON, player("Hazard", "Chelsea", price=120))
    return store


@pytest.fixture
def uow(store: FakeStore) -> FakeUnitOfWork:
    return FakeUnitOfWork(store)


def capital(store: FakeStore, name: str) -> int:
    return store.documents[club_path(SEASON, name)]["capital"]


def transfer(name: str, seller: str, buyer: str) -> TransferPlayer:
    return TransferPlayer(player=name, from_club=seller, to_club=buyer)


def test_a_transfer_moves_the_player_and_the_price_between_the_clubs(store, uow):
    result = transfer_player(transfer("Hazard", "Chelsea", "Liverpool"), context(), uow)
    assert player_path(SEASON, "Chelsea", "Hazard") not in store.documents
    moved = store.documents[player_path(SEASON, "Liverpool", "Hazard")]
    assert moved["club"] == "Liverpool" and moved["club_key"] == "liverpool"
    assert (capital(store, "Chelsea"), capital(store, "Liverpool")) == (160, 80)
    assert (result.player.club, result.from_club_capital, result.to_club_capital) == (
        "Liverpool",
        160,
        80,
    )


def test_a_transfer_announces_the_price_and_both_capitals(uow):
    transfer_player(transfer("Hazard", "Chelsea", "Liverpool"), context(), uow)
    assert [e.event for e in uow.published] == [
        PlayerTransferred(
            season=SEASON,
            player="Hazard",
            price=120,
            from_club="Chelsea",
            from_club_capital=160,
            to_club="Liverpool",
            to_club_capital=80,
        )
    ]


def test_a_transfer_leaves_the_total_capital_unchanged(store, uow):
    before = sum(capital(store, c) for c in ("Chelsea", "Liverpool", "Everton"))
    transfer_player(transfer("Hazard", "Chelsea", "Liverpool"), context(), uow)
    assert sum(capital(store, c) for c in ("Chelsea", "Liverpool", "Everton")) == before


def test_a_transfer_is_refused_with_the_figures_when_the_buyer_cannot_afford_the_price(store, uow):
    before = dict(store.documents)
    with pytest.raises(Conflict, match="Chelsea has 40, Salah costs 135"):
        transfer_player(transfer("Salah", "Liverpool", "Chelsea"), context(), uow)
    paths = set(before) | set(store.documents)
    changed = {path for path in paths if store.documents.get(path) != before.get(path)}
    assert changed == {processed_path("//test", "command-1")} and uow.published == []


def test_a_redelivered_refusal_is_the_same_refusal_even_after_the_buyer_got_richer(store, uow):
    command = transfer("Salah", "Liverpool", "Chelsea")
    with pytest.raises(Conflict) as first:
        transfer_player(command, context("same-id"), uow)
    store.add_club(SEASON, club("Chelsea", capital=500))
    with pytest.raises(Conflict) as again:
        transfer_player(command, context("same-id"), uow)
    assert again.value.to_reply() == first.value.to_reply()


def test_a_transfer_to_the_club_the_player_is_in_is_a_conflict(uow):
    with pytest.raises(Conflict, match="Hazard already plays for Chelsea"):
        transfer_player(transfer("Hazard", "Chelsea", "chelsea"), context(), uow)


def test_a_transfer_that_would_take_the_sellers_capital_past_the_largest_number_is_a_conflict(
    store, uow
):
    store.add_club(SEASON, club("Chelsea", capital=LARGEST_NUMBER - 10))
    with pytest.raises(Conflict, match="Chelsea cannot be paid"):
        transfer_player(transfer("Hazard", "Chelsea", "Liverpool"), context(), uow)


def test_a_transfer_of_a_player_the_seller_does_not_have_is_not_found(uow):
    with pytest.raises(NotFound, match="Chelsea has no player 'Salah'"):
        transfer_player(transfer("Salah", "Chelsea", "Everton"), context(), uow)


@pytest.mark.parametrize(("seller", "buyer"), [("Arsenal", "Chelsea"), ("Chelsea", "Arsenal")])
def test_a_transfer_with_an_unknown_club_is_not_found(uow, seller, buyer):
    with pytest.raises(NotFound, match="Arsenal"):
        transfer_player(transfer("Hazard", seller, buyer), context(), uow)


def test_a_transfer_to_a_club_with_a_player_of_the_same_name_is_a_conflict(store, uow):
    store.add_player(SEASON, player("Hazard", "Liverpool"))
    with pytest.raises(Conflict, match="Liverpool already has a player named 'Hazard'"):
        transfer_player(transfer("Hazard", "Chelsea", "Liverpool"), context(), uow)


def test_a_redelivered_transfer_moves_the_player_and_the_money_once(store, uow):
    command = transfer("Hazard", "Chelsea", "Liverpool")
    replies = [transfer_player(command, context("same-id"), uow) for _ in range(5)]
    assert all(reply == replies[0] for reply in replies)
    assert (capital(store, "Chelsea"), capital(store, "Liverpool")) == (160, 80)
    assert len(uow.published) == 1
