"""The stats and playerops workers on the emulators, driven only through the bus."""

import json

import pytest

from events.commands import (
    PLAYEROPS,
    STATS,
    CreatePlayer,
    DeletePlayer,
    GetBestPlayers,
    GetClub,
    GetLeagueTable,
    GetPlayer,
    GetTopPlayers,
    ListPlayers,
    UpdatePlayer,
)
from events.values import PlayerChanges
from services.playerops.bootstrap import playerops_handlers
from services.stats.bootstrap import stats_handlers
from services.stats.read_model import ReadModel
from tests.integration.workers.conftest import ask, in_process_worker, seed
from tests.support.bus import events_subscription, pull_all
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


@pytest.fixture
def seeded(firestore_client):
    seed(
        firestore_client,
        [club("Chelsea", points=72, capital=40), club("Liverpool", points=97, capital=200)],
        [
            player("Hazard", "Chelsea", "Forward", goals=16, assists=15),
            player("Kante", "Chelsea", "Midfielder", passes=1500, assists=4),
            player("Salah", "Liverpool", "Forward", goals=22, assists=8),
            player("Alisson", "Liverpool", "Goalkeeper"),
        ],
    )


def test_the_stats_worker_answers_every_read(
    settings, topology, firestore_client, publisher, subscriber, seeded
):
    commands = [
        GetLeagueTable(),
        ListPlayers(club="Liverpool"),
        GetBestPlayers(club="Chelsea"),
        GetTopPlayers(position="Forward", count=1),
        GetClub(club="chelsea"),
    ]
    with in_process_worker(
        STATS, settings, firestore_client, publisher, subscriber,
        lambda runtime: stats_handlers(ReadModel(runtime.reader())),
    ):  # fmt: skip
        table, listed, best, top, chelsea = ask(topology, subscriber, commands)

    assert [row["club"] for row in table.result["rows"]] == ["Liverpool", "Chelsea"]
    assert table.result["season"] == "2018-19" and table.result["rows"][1]["capital"] == 40
    assert [p["name"] for p in listed.result["players"]] == ["Alisson", "Salah"]
    assert [p["name"] for p in best.result["players"]] == ["Kante", "Hazard"]
    assert [(p["name"], p["score"]) for p in top.result["players"]] == [("Salah", 17.8)]
    assert chelsea.result["standing"] == table.result["rows"][1]
    assert [p["name"] for p in chelsea.result["players"]] == ["Hazard", "Kante"]
    assert chelsea.result["best_players"] == best.result["players"]
    assert chelsea.result["clubs"] == ["Liverpool", "Chelsea"]
    assert chelsea.result["seasons"] == {"seasons": ["2018-19"], "current": "2018-19"}


def test_the_playerops_worker_creates_reads_updates_and_deletes_and_publishes_each_change(
    settings, topology, firestore_client, publisher, subscriber, seeded
):
    created = CreatePlayer(player=player("Pulisic", "Chelsea", goals=4))
    with (
        in_process_worker(
            PLAYEROPS, settings, firestore_client, publisher, subscriber,
            lambda runtime: playerops_handlers(runtime.reader(), runtime.unit_of_work()),
        ),
        events_subscription(topology, subscriber) as events,
    ):  # fmt: skip
        steps = [
            [created],
            [created, GetPlayer(club="Chelsea", name="Pulisic")],
            [UpdatePlayer(club="Chelsea", name="Pulisic", changes=PlayerChanges(goals=5))],
            [
                DeletePlayer(club="Chelsea", name="Pulisic"),
                CreatePlayer(player=player("X", "Arsenal")),
            ],
            [GetPlayer(club="Chelsea", name="Pulisic")],
        ]
        replies = [reply for step in steps for reply in ask(topology, subscriber, step)]
        published = pull_all(subscriber, events, expected=3, timeout=10)
        # Nothing more: a refused or read command publishes no event.
        assert pull_all(subscriber, events, expected=1, timeout=2) == []

    assert [reply.status for reply in replies] == [200, 409, 200, 200, 200, 404, 404]
    assert replies[2].result["player"]["goals"] == 4 and replies[3].result["player"]["goals"] == 5
    types = [m.attributes["ce-type"].split(".")[-2] for m in published]
    assert sorted(types) == sorted(["player_created", "player_updated", "player_deleted"])
    assert all(json.loads(m.data)["season"] == "2018-19" for m in published)
