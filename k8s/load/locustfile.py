"""A realistic mix of League App traffic for Locust: mostly reads, some writes.

    make load                                   # headless against `make run`, then a summary
    locust -f k8s/load/locustfile.py --host http://127.0.0.1:8080       # with Locust's web page

Readers (9 in 10 users) look at the table, club pages, top players and a club's best players,
through the original routes and /api/v1 alike. Writers (1 in 10) create a player, sell him to
another club and release him again, each write with an Idempotency-Key, as a careful client does.
Both pause 0.5-2 s between requests, as people do. The clubs come from the running season.
"""

import json
import random
import uuid
from urllib.request import urlopen

from locust import FastHttpUser, between, events, task
from locust.env import Environment

POSITIONS = ("Defender", "Midfielder", "Forward")
CLUBS: list[str] = []


@events.test_start.add_listener
def read_the_clubs(environment: Environment, **_: object) -> None:
    """The season's clubs, read once before any user starts."""
    with urlopen(f"{environment.host}/api/v1/clubs", timeout=30) as answer:
        CLUBS[:] = [row["club"] for row in json.load(answer)["rows"]]


class Reader(FastHttpUser):
    weight = 9
    wait_time = between(0.5, 2.0)

    @task(3)
    def table(self) -> None:
        self.client.get("/table")

    @task(2)
    def league_table(self) -> None:
        self.client.get("/api/v1/clubs")

    @task(3)
    def club_page(self) -> None:
        self.client.get(f"/clubs/{random.choice(CLUBS)}", name="/clubs/[club]")

    @task(2)
    def club(self) -> None:
        self.client.get(f"/api/v1/clubs/{random.choice(CLUBS)}", name="/api/v1/clubs/[club]")

    @task(3)
    def top_players(self) -> None:
        position = random.choice(POSITIONS)
        self.client.get(f"/api/v1/players/top?position={position}&count=5",
                        name="/api/v1/players/top")  # fmt: skip

    @task(1)
    def best_position(self) -> None:
        self.client.request("GET", "/bestposition", json={"position": random.choice(POSITIONS)})

    @task(2)
    def best_of_a_club(self) -> None:
        club = random.choice(CLUBS)
        self.client.get(f"/api/v1/clubs/{club}/best-players",
                        name="/api/v1/clubs/[club]/best-players")  # fmt: skip


class Writer(FastHttpUser):
    weight = 1
    wait_time = between(0.5, 2.0)

    @task
    def sign_sell_release(self) -> None:
        name = f"Load Player {uuid.uuid4().hex[:10]}"
        seller, buyer = random.sample(CLUBS, 2)
        player = {"name": name, "club": seller, "nationality": "England",
                  "position": random.choice(POSITIONS), "goals": 3, "price": 1}  # fmt: skip
        if not self._write("POST", "/api/v1/players", player):
            return
        transfer = {"player": name, "from_club": seller, "to_club": buyer}
        moved = self._write("POST", "/api/v1/transfers", transfer)
        at = buyer if moved else seller
        self._write("DELETE", f"/api/v1/players/{at}/{name}", None,
                    label="/api/v1/players/[club]/[name]")  # fmt: skip

    def _write(self, method: str, path: str, body: dict | None, label: str | None = None) -> bool:
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        with self.client.request(
            method, path, json=body, headers=headers, name=label or path, catch_response=True
        ) as answer:
            if answer.status_code >= 500 or answer.status_code == 0:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")
                return False
            # A refusal (a club that cannot afford) is the league working, not the load failing.
            answer.success()
            return answer.status_code < 300
