"""The whole local stack for the frontend's end-to-end tests: emulators, the three workers and
the frontend as real processes, and a small league seeded in Firestore as ingestion lays it out."""

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from google.cloud import firestore

from events.commands import SERVICES
from events.settings import Settings
from events.topology import Topology, ensure_topology
from events.values import Player, TableRow
from tests.conftest import PROJECT_ID
from tests.e2e.frontend.processes import serving, wait_until_ready
from tests.support.firestore import seed_season

pytestmark = pytest.mark.emulators
SEASON = "2018-19"
# Each test seeds Firestore afresh behind the app's back (no event announces it), so every request
# asks for reads as Firestore is now, not as a stats worker's read model last saw it.
NO_CACHE = {"Cache-Control": "no-cache"}


def club(name: str, points: int, goal_difference: int, capital: int) -> TableRow:
    return TableRow(
        club=name, played=38, won=points // 3, drawn=points % 3, lost=38 - points // 3 - points % 3,
        goals_for=60 + goal_difference // 2, goals_against=60 - goal_difference // 2,
        goal_difference=goal_difference // 2 * 2, points=points, capital=capital,
    )  # fmt: skip


def player(name: str, club: str, position: str, goals: int, price: int) -> Player:
    return Player(
        name=name, club=club, nationality="England", position=position, appearances=30,
        goals=goals, assists=goals // 2, passes=1000 + goals * 40, interceptions=30, tackles=40,
        fouls=20, price=price,
    )  # fmt: skip


TABLE = [
    club("Manchester City", 98, 72, 300),
    club("Liverpool", 97, 68, 250),
    club("Chelsea", 72, 24, 200),
    club("Tottenham", 71, 28, 20),
]
SQUADS = [
    player("Sergio Aguero", "Manchester City", "Forward", 21, 120),
    player("Kevin De Bruyne", "Manchester City", "Midfielder", 2, 130),
    player("Aymeric Laporte", "Manchester City", "Defender", 3, 60),
    player("Ederson", "Manchester City", "Goalkeeper", 0, 40),
    player("Mohamed Salah", "Liverpool", "Forward", 22, 150),
    player("Jordan Henderson", "Liverpool", "Midfielder", 1, 30),
    player("Virgil van Dijk", "Liverpool", "Defender", 4, 75),
    player("Eden Hazard", "Chelsea", "Forward", 16, 140),
    player("N'Golo Kante", "Chelsea", "Midfielder", 4, 80),
    player("Antonio Rudiger", "Chelsea", "Defender", 1, 40),
    player("Harry Kane", "Tottenham", "Forward", 17, 160),
    player("Christian Eriksen", "Tottenham", "Midfielder", 8, 90),
    player("Toby Alderweireld", "Tottenham", "Defender", 0, 50),
]


@dataclass(frozen=True)
class Stack:
    url: str
    http: httpx.Client
    logs: Path


@pytest.fixture(scope="package")
def stack(emulators, publisher, subscriber, tmp_path_factory) -> Iterator[Stack]:
    """The workers and the frontend, started once for the package, on a topic prefix of its own."""
    settings = Settings(project_id=PROJECT_ID, topic_prefix=f"e2e{uuid.uuid4().hex[:8]}")
    ensure_topology(Topology.from_settings(settings), publisher, subscriber)
    environment = {
        **emulators.environment(),
        "LEAGUE_TOPIC_PREFIX": settings.topic_prefix,
        # Generous: the first command of each worker pays for its Firestore connection.
        "LEAGUE_REQUEST_TIMEOUT_SECONDS": "20",
    }
    logs = tmp_path_factory.mktemp("stack-logs")
    with ExitStack() as processes:
        started = [
            processes.enter_context(serving(f"services.{service}", environment, logs))
            for service in (*SERVICES, "frontend")
        ]
        for url, process in started:
            wait_until_ready(url, process, next(logs.glob(f"*-{url.rsplit(':', 1)[1]}.log")))
        frontend_url = started[-1][0]
        with httpx.Client(base_url=frontend_url, timeout=30, headers=NO_CACHE) as http:
            yield Stack(frontend_url, http, logs)


@pytest.fixture
def league(stack: Stack, firestore_client: firestore.Client) -> Stack:
    """The stack over a freshly seeded season (the database is emptied for every test)."""
    seed_season(firestore_client, SEASON, TABLE, SQUADS)
    return stack
