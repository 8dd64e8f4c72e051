"""The original app's routes: its shapes, its case-insensitive bodies, its error shape."""

import pytest

from events.commands import (
    CreatePlayer,
    DeletePlayer,
    GetBestPlayers,
    GetLeagueTable,
    GetTopPlayers,
    ListSeasons,
    TransferPlayer,
)
from events.replies import Conflict, Invalid, NotFound, Unavailable
from events.values import (
    PlayerDeletion,
    PlayerResult,
    ScoredPlayerList,
    SeasonList,
    TransferResult,
)
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE, VAN_DIJK, scored

LEGACY_PLAYER_KEYS = {
    "name", "team", "nationality", "position", "appearences", "goals", "assists", "passes",
    "interceptions", "tackles", "fouls", "price",
}  # fmt: skip


def test_the_table_has_the_original_keys_and_the_capital(client, requester):
    requester.handlers[GetLeagueTable] = lambda command: TABLE

    response = client.get("/table")

    assert response.status_code == 200
    body = response.json()
    assert body["err"] is None
    assert body["teams"][0] == {
        "teamName": "Manchester City", "teamPlayed": 38, "teamWon": 32, "teamDrawn": 2,
        "teamLost": 4, "teamGF": 95, "teamGA": 23, "teamGD": 72, "teamPoints": 98,
        "teamCapital": 300,
    }  # fmt: skip


@pytest.mark.parametrize("key", ["League", "league", "LEAGUE"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_table_reads_league_whatever_its_case_by_get_or_post(client, requester, key, method):
    requester.handlers[GetLeagueTable] = lambda command: TABLE

    response = client.request(method, "/table", json={key: SEASON})

    assert response.status_code == 200
    assert requester.last().command == GetLeagueTable(season=SEASON)


@pytest.mark.parametrize("league", ["League", "league", "LEAGUE", " League ", "", None])
def test_the_table_of_league_as_the_original_readme_asks_is_the_current_seasons(
    client, requester, league
):
    requester.handlers[GetLeagueTable] = lambda command: TABLE

    response = client.request("GET", "/table", json={"league": league})

    assert response.status_code == 200
    assert requester.last().command == GetLeagueTable(season=None)


def test_the_table_without_a_body_is_the_current_seasons(client, requester):
    requester.handlers[GetLeagueTable] = lambda command: TABLE

    assert client.get("/table").status_code == 200
    assert requester.last().command == GetLeagueTable(season=None)


def test_a_league_that_cannot_be_a_season_id_is_a_404_naming_the_known_seasons(client, requester):
    requester.handlers[ListSeasons] = lambda command: SeasonList(
        seasons=["2017-18", SEASON], current=SEASON
    )

    response = client.post("/table", json={"League": "Premier League"})

    assert response.status_code == 404
    assert response.json() == {
        "error": "there is no season 'Premier League'; known: 2017-18, 2018-19"
    }
    assert [type(sent.command) for sent in requester.sent] == [ListSeasons]


def test_best_players_of_a_team_are_players_in_the_original_spelling(client, requester):
    best = ScoredPlayerList(season=SEASON, players=[scored(VAN_DIJK), scored(SALAH)])
    requester.handlers[GetBestPlayers] = lambda command: best

    response = client.get("/bestplayers/Liverpool")

    assert response.status_code == 200
    assert requester.last().command == GetBestPlayers(club="Liverpool")
    players = response.json()["Players"]
    assert response.json()["Err"] is None
    assert set(players[1]) == LEGACY_PLAYER_KEYS
    assert players[1]["team"] == "Liverpool" and players[1]["appearences"] == 38


def test_best_position_asks_for_three_players_of_the_position(client, requester):
    best = ScoredPlayerList(season=SEASON, players=[scored(SALAH)])
    requester.handlers[GetTopPlayers] = lambda command: best

    response = client.post("/bestposition", json={"Position": "Forward"})

    assert response.status_code == 200
    assert requester.last().command == GetTopPlayers(position="Forward", count=3)


def test_an_unknown_position_is_refused_with_the_workers_message(client, requester):
    def refuse(command):
        raise Invalid(
            "unknown position 'Striker'; valid: Goalkeeper, Defender, Midfielder, Forward"
        )

    requester.handlers[GetTopPlayers] = refuse

    response = client.request("GET", "/bestposition", json={"position": "Striker"})

    assert response.status_code == 422
    assert "Midfielder" in response.json()["error"]


def test_create_player_maps_the_original_fields_onto_a_player(client, requester):
    requester.handlers[CreatePlayer] = lambda command: PlayerResult(season=SEASON, player=SALAH)
    new_player = {
        "Name": "Mohamed Salah", "Team": "Liverpool", "Nationality": "Egypt",
        "Position": "Forward", "Appearences": 38, "Goals": 22, "Assists": 8, "Passes": 1000,
        "Interceptions": 5, "Tackles": 20, "Fouls": 10, "Price": 150,
    }  # fmt: skip

    response = client.request("GET", "/createplayer", json={"NewPlayer": new_player})

    assert response.status_code == 200
    assert response.json() == {"Ops": "Player Mohamed Salah created in Liverpool", "Err": None}
    assert requester.last().command == CreatePlayer(player=SALAH)


def test_create_player_with_a_bad_position_is_a_422_naming_the_positions(client, requester):
    new_player = {"Name": "X", "Team": "Liverpool", "Nationality": "Y", "Position": "Keeper"}

    response = client.post("/createplayer", json={"NewPlayer": new_player})

    assert response.status_code == 422
    assert "Goalkeeper" in response.json()["error"]
    assert requester.sent == []


def test_a_body_that_is_not_json_is_a_400_in_the_original_error_shape(client):
    response = client.post("/bestposition", content=b"{not json")

    assert response.status_code == 400
    assert response.json() == {"error": "the request body is not valid JSON"}


def test_delete_player_names_team_and_player_from_the_path(client, requester):
    deleted = PlayerDeletion(season=SEASON, club="Liverpool", name="Mohamed Salah")
    requester.handlers[DeletePlayer] = lambda command: deleted

    response = client.get("/deleteplayer/Liverpool/Mohamed Salah")

    assert response.json() == {"Ops": "Player Mohamed Salah deleted from Liverpool", "Err": None}
    assert requester.last().command == DeletePlayer(club="Liverpool", name="Mohamed Salah")


def test_deleting_an_unknown_player_is_a_404_with_the_message(client, requester):
    def refuse(command):
        raise NotFound("no player 'Nobody' in Liverpool")

    requester.handlers[DeletePlayer] = refuse

    response = client.get("/deleteplayer/Liverpool/Nobody")

    assert response.status_code == 404
    assert response.json() == {"error": "no player 'Nobody' in Liverpool"}


def test_transfer_reads_the_original_keys_and_reports_the_price(client, requester):
    moved = SALAH.model_copy(update={"club": "Manchester City"})
    requester.handlers[TransferPlayer] = lambda command: TransferResult(
        season=SEASON, player=moved, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip

    body = {"playername": "Mohamed Salah", "TeamFrom": "Liverpool", "TeamTO": "Manchester City"}
    response = client.post("/transferplayer", json=body)

    assert response.status_code == 200
    assert "transferred from Liverpool to Manchester City" in response.json()["Ops"]
    assert requester.last().command == TransferPlayer(
        player="Mohamed Salah", from_club="Liverpool", to_club="Manchester City"
    )


def test_a_refused_transfer_keeps_the_workers_status(client, requester):
    def refuse(command):
        raise Conflict("Manchester City cannot afford 150")

    requester.handlers[TransferPlayer] = refuse
    body = {"PlayerName": "Mohamed Salah", "TeamFrom": "Liverpool", "TeamTo": "Manchester City"}

    response = client.post("/transferplayer", json=body)

    assert response.status_code == 409
    assert response.json() == {"error": "Manchester City cannot afford 150"}


def test_a_missing_field_is_a_422_in_the_original_error_shape(client, requester):
    response = client.post("/transferplayer", json={"PlayerName": "Mohamed Salah"})

    assert response.status_code == 422
    assert "teamfrom" in response.json()["error"]


def test_no_reply_in_time_is_a_504_and_no_bus_a_503(client, requester):
    assert client.get("/table").status_code == 504

    def unreachable(command):
        raise Unavailable("could not publish")

    requester.handlers[GetLeagueTable] = unreachable
    response = client.get("/table")
    assert response.status_code == 503
    assert response.json() == {"error": "could not publish"}


def test_a_table_row_that_breaks_the_contract_is_not_passed_on(client, requester):
    negative = TABLE.rows[0].model_copy(update={"points": -1})  # model_copy does not validate
    requester.handlers[GetLeagueTable] = lambda command: TABLE.model_copy(
        update={"rows": [negative]}
    )

    response = client.get("/table")

    assert response.status_code == 422
    assert "rows.0.points" in response.json()["error"]
