"""Reads after this frontend's own writes name the clubs those writes changed (freshclubs), so the
stats workers read them afresh; other reads, and writes, name none."""

import pytest

from events.commands import GetLeagueTable, TransferPlayer
from events.envelope import FRESH_CLUBS
from events.values import LeagueTable, TransferResult
from services.frontend.recent_writes import RecentWrites
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE

TRANSFER = {"player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Manchester City"}


@pytest.fixture
def answering(requester):
    requester.handlers[GetLeagueTable] = lambda c: LeagueTable(season=SEASON, rows=TABLE)
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip
    return requester


def test_a_read_after_a_transfer_names_both_clubs_to_read_afresh(client, answering):
    client.get("/api/v1/clubs")
    client.post("/api/v1/transfers", json=TRANSFER)
    client.get("/api/v1/clubs")

    before, transfer, after = answering.sent
    assert before.extensions is None
    assert transfer.extensions is None
    assert after.extensions == {FRESH_CLUBS: "liverpool manchester-city"}


def test_the_clubs_are_named_only_for_the_window_after_the_write(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("services.frontend.recent_writes.time.monotonic", lambda: now[0])
    recent = RecentWrites(window=10)
    recent.wrote(("Chelsea",))

    now[0] = 109.0
    assert recent.fresh_clubs() == "chelsea"
    now[0] = 110.5
    assert recent.fresh_clubs() == ""


def test_too_many_clubs_to_name_asks_for_every_club():
    recent = RecentWrites(window=10)
    recent.wrote(tuple(f"Club number {n} of a very long league" for n in range(40)))

    assert recent.fresh_clubs() == "*"
