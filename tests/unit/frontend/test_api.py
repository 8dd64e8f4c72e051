"""/api/v1: status codes that mean what they say, one error shape, idempotency keys."""

import pytest

from events.commands import (
    CreatePlayer,
    DeletePlayer,
    GetClub,
    GetLeagueTable,
    GetPlayer,
    GetTopPlayers,
    ListPlayers,
    ListSeasons,
    TransferPlayer,
    UpdatePlayer,
)
from events.replies import Conflict, NotFound, Unavailable
from events.values import (
    ClubView,
    PlayerChanges,
    PlayerDeletion,
    PlayerList,
    PlayerResult,
    ScoredPlayerList,
    SeasonList,
    TransferResult,
)
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE, VAN_DIJK, scored


def created(command):
    return PlayerResult(season=SEASON, player=command.player)


def test_seasons_lists_the_loaded_seasons_and_the_current_one(client, requester):
    requester.handlers[ListSeasons] = lambda c: SeasonList(seasons=[SEASON], current=SEASON)

    response = client.get("/api/v1/seasons")

    assert response.json() == {"seasons": [SEASON], "current": SEASON}


def test_clubs_is_the_league_table_of_the_season_asked_for(client, requester):
    requester.handlers[GetLeagueTable] = lambda command: TABLE

    response = client.get("/api/v1/clubs", params={"season": SEASON})

    assert response.status_code == 200
    assert response.json()["rows"][1]["capital"] == 250
    assert requester.last().command == GetLeagueTable(season=SEASON)


def test_a_malformed_season_is_a_422_before_anything_is_sent(client, requester):
    response = client.get("/api/v1/clubs", params={"season": "no spaces allowed"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert requester.sent == []


def test_one_club_is_one_read_of_its_standing_squad_and_best_players(client, requester):
    requester.handlers[GetClub] = lambda c: ClubView(
        season=SEASON,
        standing=TABLE.rows[1],
        players=[SALAH, VAN_DIJK],
        best_players=[scored(VAN_DIJK)],
        clubs=[row.club for row in TABLE.rows],
        seasons=SeasonList(seasons=[SEASON], current=SEASON),
    )

    body = client.get("/api/v1/clubs/liverpool").json()

    assert [sent.command for sent in requester.sent] == [GetClub(club="liverpool")]
    assert body == {
        "season": SEASON,
        "standing": TABLE.rows[1].model_dump(),
        "players": [SALAH.model_dump(), VAN_DIJK.model_dump()],
        "best_players": [scored(VAN_DIJK).model_dump()],
    }


def test_a_club_the_worker_does_not_know_is_a_404_with_its_reason(client, requester):
    def refuse(command):
        raise NotFound(f"season {SEASON} has no club {command.club!r}")

    requester.handlers[GetClub] = refuse

    response = client.get("/api/v1/clubs/Nowhere FC")

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": f"season {SEASON} has no club 'Nowhere FC'",
    }


def test_players_pass_their_filters_and_page_on(client, requester):
    requester.handlers[ListPlayers] = lambda c: PlayerList(season=SEASON, players=[], total=40)

    response = client.get(
        "/api/v1/players",
        params={"club": "Liverpool", "position": "Forward", "offset": 20, "limit": 10},
    )

    assert response.json()["total"] == 40
    assert requester.last().command == ListPlayers(
        club="Liverpool", position="Forward", offset=20, limit=10
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/players", {"limit": 0}),
        ("/api/v1/players", {"limit": 1001}),
        ("/api/v1/players/top", {"position": "Forward", "count": 0}),
        ("/api/v1/players/top", {"position": "Forward", "count": 101}),
    ],
)
def test_a_page_size_or_count_out_of_bounds_is_a_422_and_asks_no_worker(
    client, requester, path, params
):
    assert client.get(path, params=params).status_code == 422
    assert requester.sent == []


def test_top_players_ask_for_the_count_given(client, requester):
    requester.handlers[GetTopPlayers] = lambda c: ScoredPlayerList(season=SEASON, players=[])

    client.get("/api/v1/players/top", params={"position": "Defender", "count": 5})

    assert requester.last().command == GetTopPlayers(position="Defender", count=5)


@pytest.mark.parametrize("position", ["Striker", "Goalkeeper"])
def test_top_players_of_a_position_without_a_score_is_a_422_naming_those_with_one(
    client, requester, position
):
    response = client.get("/api/v1/players/top", params={"position": position})

    assert response.status_code == 422
    assert "'Defender', 'Midfielder' or 'Forward'" in response.json()["error"]["message"]
    assert requester.sent == []


def test_creating_a_player_answers_201(client, requester):
    requester.handlers[CreatePlayer] = created

    response = client.post("/api/v1/players", json=SALAH.model_dump())

    assert response.status_code == 201
    assert response.json()["player"] == SALAH.model_dump()


def test_creating_a_player_that_exists_is_a_409_problem_that_keeps_the_first_error_shape(
    client, requester
):
    def refuse(command):
        raise Conflict("Liverpool already has a player named Mohamed Salah")

    requester.handlers[CreatePlayer] = refuse

    response = client.post("/api/v1/players", json=SALAH.model_dump())

    assert response.status_code == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    message = "Liverpool already has a player named Mohamed Salah"
    assert response.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": message,
        "error": {"code": "conflict", "message": message},
    }


def test_the_same_idempotency_key_sends_the_same_command_id(client, requester):
    requester.handlers[CreatePlayer] = created
    headers = {"Idempotency-Key": "order-17"}

    for _ in range(2):
        client.post("/api/v1/players", json=SALAH.model_dump(), headers=headers)
    client.post("/api/v1/players", json=SALAH.model_dump(), headers={"Idempotency-Key": "other"})
    client.post("/api/v1/players", json=SALAH.model_dump())

    first, again, other, keyless = (sent.command_id for sent in requester.sent)
    assert first is not None and first == again
    assert other not in (None, first)
    assert keyless is None


def test_a_key_used_on_another_route_names_another_command(client, requester):
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=SEASON, club=c.club, name=c.name
    )

    # The same method and key on two paths: only the path tells the commands apart.
    client.delete("/api/v1/players/Liverpool/Mohamed Salah", headers={"Idempotency-Key": "k"})
    client.delete("/api/v1/players/Chelsea/Eden Hazard", headers={"Idempotency-Key": "k"})

    assert requester.sent[0].command_id != requester.sent[1].command_id


def test_get_update_and_delete_address_a_player_by_club_and_name(client, requester):
    requester.handlers[UpdatePlayer] = lambda c: PlayerResult(season=SEASON, player=SALAH)
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=SEASON, club=c.club, name=c.name
    )

    updated = client.patch("/api/v1/players/Liverpool/Mohamed Salah", json={"goals": 23})
    deleted = client.delete("/api/v1/players/Liverpool/Mohamed Salah")

    assert updated.status_code == 200
    assert requester.sent[0].command == UpdatePlayer(
        club="Liverpool", name="Mohamed Salah", changes=PlayerChanges(goals=23)
    )
    assert deleted.status_code == 204 and deleted.content == b""


def test_an_unknown_player_is_a_404(client, requester):
    def refuse(command):
        raise NotFound("no player 'Nobody' in Liverpool")

    requester.handlers[GetPlayer] = refuse
    requester.handlers[DeletePlayer] = refuse

    read = client.get("/api/v1/players/Liverpool/Nobody")
    assert read.status_code == 404
    assert read.json()["error"] == {
        "code": "not_found",
        "message": "no player 'Nobody' in Liverpool",
    }
    assert client.delete("/api/v1/players/Liverpool/Nobody").status_code == 404


def test_a_negative_figure_is_a_422_naming_the_field(client, requester):
    response = client.patch("/api/v1/players/Liverpool/Mohamed Salah", json={"goals": -1})

    assert response.status_code == 422
    assert "goals" in response.json()["error"]["message"]
    assert requester.sent == []


def test_a_transfer_answers_with_both_capitals(client, requester):
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip

    response = client.post(
        "/api/v1/transfers",
        json={"player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Manchester City"},
    )

    assert response.status_code == 200
    assert response.json()["to_club_capital"] == 150


def test_no_reply_in_time_is_a_504_and_an_unreachable_bus_a_503(client, requester):
    timed_out = client.get("/api/v1/seasons")

    def unreachable(command):
        raise Unavailable("could not publish to the stats topic")

    requester.handlers[ListSeasons] = unreachable
    unavailable = client.get("/api/v1/seasons")

    assert timed_out.status_code == 504
    assert timed_out.json()["error"]["code"] == "deadline_exceeded"
    assert unavailable.status_code == 503
    assert unavailable.json()["error"]["code"] == "unavailable"


def test_every_api_route_declares_its_response_model_in_the_openapi_document(client):
    document = client.get("/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            success = next(code for code in operation["responses"] if code.startswith("2"))
            if success != "204":
                content = operation["responses"][success]["content"]["application/json"]
                assert content["schema"], f"{method} {path} has no response schema"
    assert "/api/v1/transfers" in document["paths"] and "/table" in document["paths"]


@pytest.mark.parametrize(
    "path", ["/api/v1/players/top", "/api/v1/clubs/{club}/best-players", "/bestposition"]
)
def test_the_openapi_document_says_how_players_with_equal_scores_are_ranked(client, path):
    document = client.get("/openapi.json").json()

    answer = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    schema = document["components"]["schemas"][answer["schema"]["$ref"].rsplit("/", 1)[1]]
    players = next(value for key, value in schema["properties"].items() if key.lower() == "players")
    assert "goals for a Forward, passes for a Midfielder" in players["description"]
