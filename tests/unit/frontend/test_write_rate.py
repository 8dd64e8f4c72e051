"""A writer over the write rate gets 429 with Retry-After; other writers and reads go on."""

import pytest
from fastapi.testclient import TestClient

from events.commands import DeletePlayer, ListSeasons
from events.values import PlayerDeletion, SeasonList
from services.frontend.bootstrap import bootstrap
from services.frontend.tokens import TokenVerifier
from tests.unit.frontend.conftest import AUTH, SignedIn, mint
from tests.unit.frontend.fakes import SEASON, KnownKeys

DELETE = "/api/v1/players/Liverpool/Mohamed Salah"


@pytest.fixture
def two_a_minute(monkeypatch, requester, signing_key):
    monkeypatch.setenv("LEAGUE_AUTH_WRITE_RATE", "2/minute")
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=SEASON, club=c.club, name=c.name
    )
    requester.handlers[ListSeasons] = lambda c: SeasonList(seasons=[SEASON], current=SEASON)
    tokens = TokenVerifier(AUTH, KnownKeys(signing_key.jwks()))
    app = bootstrap(requester=requester, tokens=tokens)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def bearer(signing_key, subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(signing_key, subject=subject)}"}


def test_a_writer_over_the_rate_gets_429_with_retry_after_and_nothing_is_sent(
    two_a_minute, requester, signing_key
):
    alice = bearer(signing_key, "alice")
    answered = [two_a_minute.delete(DELETE, headers=alice).status_code for _ in range(3)]
    refused = two_a_minute.delete(DELETE, headers=alice)

    assert answered == [204, 204, 429]
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert len([s for s in requester.sent if isinstance(s.command, DeletePlayer)]) == 2


def test_the_rate_is_each_writers_own_and_reads_are_not_counted(two_a_minute, signing_key):
    for _ in range(2):
        two_a_minute.delete(DELETE, headers=bearer(signing_key, "alice"))

    assert two_a_minute.delete(DELETE, headers=bearer(signing_key, "bob")).status_code == 204
    assert two_a_minute.get("/api/v1/seasons").status_code == 200


def test_the_original_routes_answer_429_in_their_shape(two_a_minute, signing_key):
    alice = bearer(signing_key, "alice")
    for _ in range(2):
        two_a_minute.get("/deleteplayer/Liverpool/Mohamed Salah", headers=alice)

    refused = two_a_minute.get("/deleteplayer/Liverpool/Mohamed Salah", headers=alice)

    assert refused.status_code == 429
    assert set(refused.json()) == {"error"} and "Retry-After" in refused.headers


def test_the_page_forms_count_against_the_same_rate(two_a_minute, signing_key):
    browser = SignedIn(two_a_minute, mint(signing_key, subject="alice"))
    form = {"club": "Liverpool", "name": "Mohamed Salah", "back": "/"}
    answered = [browser.post("/forms/players/delete", data=form).status_code for _ in range(3)]

    assert answered[:2] == [303, 303]
    assert answered[2] == 429
