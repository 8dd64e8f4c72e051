"""/api/v1 against the whole stack: every route, its status codes, and idempotency keys."""

import pytest

from tests.e2e.frontend.conftest import SEASON

pytestmark = pytest.mark.emulators

KANE_TO_CHELSEA = {"player": "Harry Kane", "from_club": "Tottenham", "to_club": "Chelsea"}
FODEN = {
    "name": "Phil Foden", "club": "Manchester City", "nationality": "England",
    "position": "Midfielder", "appearances": 13, "goals": 1, "price": 25,
}  # fmt: skip


def capital_of(league, club: str) -> int:
    rows = league.http.get("/api/v1/clubs").json()["rows"]
    return next(row["capital"] for row in rows if row["club"] == club)


def test_seasons_names_the_loaded_season_as_current(league):
    assert league.http.get("/api/v1/seasons").json() == {"seasons": [SEASON], "current": SEASON}


def test_clubs_is_the_league_table_of_the_current_or_the_named_season(league):
    current = league.http.get("/api/v1/clubs").json()
    named = league.http.get("/api/v1/clubs", params={"season": SEASON}).json()

    assert current == named
    assert [row["club"] for row in current["rows"]][:2] == ["Manchester City", "Liverpool"]
    assert league.http.get("/api/v1/clubs", params={"season": "1999-00"}).status_code == 404


def test_one_club_has_its_standing_squad_and_best_players(league):
    body = league.http.get("/api/v1/clubs/chelsea").json()

    assert body["standing"]["club"] == "Chelsea" and body["standing"]["capital"] == 200
    assert len(body["players"]) == 3
    assert [p["position"] for p in body["best_players"]] == ["Defender", "Midfielder", "Forward"]
    assert league.http.get("/api/v1/clubs/Nowhere").status_code == 404


def test_a_clubs_best_players_route(league):
    body = league.http.get("/api/v1/clubs/Tottenham/best-players").json()

    assert [p["name"] for p in body["players"]] == [
        "Toby Alderweireld", "Christian Eriksen", "Harry Kane",
    ]  # fmt: skip


def test_players_filter_by_club_and_position_and_come_a_page_at_a_time(league):
    forwards = league.http.get("/api/v1/players", params={"position": "Forward"}).json()
    page = league.http.get("/api/v1/players", params={"offset": 10, "limit": 2}).json()
    city = league.http.get("/api/v1/players", params={"club": "Manchester City"}).json()

    assert forwards["total"] == 4 and {p["position"] for p in forwards["players"]} == {"Forward"}
    assert page["total"] == 13 and len(page["players"]) == 2
    assert city["total"] == 4
    assert league.http.get("/api/v1/players", params={"limit": 5000}).status_code == 422


def test_top_players_of_a_position(league):
    body = league.http.get("/api/v1/players/top", params={"position": "Forward", "count": 2}).json()
    goalkeepers = league.http.get("/api/v1/players/top", params={"position": "Goalkeeper"})

    assert len(body["players"]) == 2 and body["players"][0]["score"] >= body["players"][1]["score"]
    assert goalkeepers.status_code == 422
    assert "Forward" in goalkeepers.json()["error"]["message"]


def test_create_then_read_update_and_delete_a_player(league):
    created = league.http.post("/api/v1/players", json=FODEN)
    read = league.http.get("/api/v1/players/Manchester City/Phil Foden")
    updated = league.http.patch("/api/v1/players/Manchester City/Phil Foden", json={"goals": 7})
    deleted = league.http.delete("/api/v1/players/Manchester City/Phil Foden")
    gone = league.http.get("/api/v1/players/Manchester City/Phil Foden")

    assert created.status_code == 201 and created.json()["player"]["name"] == "Phil Foden"
    assert read.status_code == 200 and read.json()["player"]["price"] == 25
    assert updated.status_code == 200 and updated.json()["player"]["goals"] == 7
    assert deleted.status_code == 204
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_creating_a_player_twice_is_a_409_but_with_one_idempotency_key_it_is_one_201(league):
    headers = {"Idempotency-Key": "create-foden-1"}
    first = league.http.post("/api/v1/players", json=FODEN, headers=headers)
    repeated = league.http.post("/api/v1/players", json=FODEN, headers=headers)
    without_key = league.http.post("/api/v1/players", json=FODEN)

    assert first.status_code == repeated.status_code == 201
    assert first.json() == repeated.json()
    assert without_key.status_code == 409


def test_an_invalid_player_is_a_422_naming_the_field(league):
    response = league.http.post("/api/v1/players", json={**FODEN, "position": "Keeper"})

    assert response.status_code == 422
    assert "position" in response.json()["error"]["message"]


def test_updating_or_deleting_an_unknown_player_is_a_404(league):
    assert league.http.patch("/api/v1/players/Chelsea/Nobody", json={"goals": 1}).status_code == 404
    assert league.http.delete("/api/v1/players/Chelsea/Nobody").status_code == 404


def test_a_transfer_with_an_idempotency_key_moves_money_once(league):
    headers = {"Idempotency-Key": "kane-to-chelsea"}
    first = league.http.post("/api/v1/transfers", json=KANE_TO_CHELSEA, headers=headers)
    repeated = league.http.post("/api/v1/transfers", json=KANE_TO_CHELSEA, headers=headers)

    assert first.status_code == repeated.status_code == 200
    assert first.json() == repeated.json()
    assert first.json()["to_club_capital"] == 40 and first.json()["from_club_capital"] == 180
    assert capital_of(league, "Chelsea") == 40 and capital_of(league, "Tottenham") == 180


def test_a_transfer_the_buyer_cannot_afford_is_a_409(league):
    body = {"player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Tottenham"}

    response = league.http.post("/api/v1/transfers", json=body)

    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert capital_of(league, "Tottenham") == 20


def test_a_transfer_to_the_club_the_player_is_in_is_a_409(league):
    body = {"player": "Harry Kane", "from_club": "Tottenham", "to_club": "tottenham"}

    response = league.http.post("/api/v1/transfers", json=body)

    assert response.status_code == 409
    assert response.json()["detail"] == "Harry Kane already plays for Tottenham"


def test_each_answer_has_a_request_id_and_the_api_is_documented(league):
    response = league.http.get("/api/v1/seasons", headers={"X-Request-Id": "e2e-42"})

    assert response.headers["X-Request-Id"] == "e2e-42"
    assert "/api/v1/transfers" in league.http.get("/openapi.json").json()["paths"]
    assert league.http.get("/docs").status_code == 200
