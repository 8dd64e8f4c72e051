"""The original app's routes against the whole stack, with the bodies its clients send."""

import pytest

from tests.e2e.frontend.conftest import SEASON, player
from tests.support.firestore import seed_season

pytestmark = pytest.mark.emulators


def capitals(league) -> dict[str, int]:
    teams = league.http.get("/table").json()["teams"]
    return {team["teamName"]: team["teamCapital"] for team in teams}


def test_the_table_lists_the_clubs_in_order_with_their_capital(league):
    response = league.http.get("/table")

    assert response.status_code == 200
    body = response.json()
    assert body["err"] is None
    assert [t["teamName"] for t in body["teams"]] == [
        "Manchester City", "Liverpool", "Chelsea", "Tottenham",
    ]  # fmt: skip
    assert body["teams"][0]["teamPoints"] == 98 and body["teams"][0]["teamCapital"] == 300


def test_the_table_of_a_named_league_by_get_body_or_post(league):
    by_get = league.http.request("GET", "/table", json={"LEAGUE": SEASON})
    by_post = league.http.post("/table", json={"league": SEASON})

    assert by_get.json() == by_post.json()
    assert len(by_get.json()["teams"]) == 4


def test_the_original_readmes_request_for_the_league_table_gets_the_current_seasons(league):
    # The original's README: curl --request GET --data '{"league":"League"}' .../table
    as_curl_sends_it = {"Content-Type": "application/x-www-form-urlencoded"}
    body = b'{"league":"League"}'
    response = league.http.request("GET", "/table", content=body, headers=as_curl_sends_it)

    assert response.status_code == 200
    assert response.json() == league.http.get("/table").json()
    assert len(response.json()["teams"]) == 4


@pytest.mark.parametrize("unknown", ["1999-00", "Premier League"])
def test_the_table_of_an_unknown_league_is_a_404_naming_the_known_seasons(league, unknown):
    response = league.http.request("GET", "/table", json={"League": unknown})

    assert response.status_code == 404
    assert response.json() == {"error": f"there is no season {unknown!r}; known: {SEASON}"}


def test_best_players_of_a_team_are_its_best_defender_midfielder_and_forward(league):
    response = league.http.get("/bestplayers/Liverpool")

    assert response.status_code == 200
    players = response.json()["Players"]
    assert [(p["name"], p["position"]) for p in players] == [
        ("Virgil van Dijk", "Defender"),
        ("Jordan Henderson", "Midfielder"),
        ("Mohamed Salah", "Forward"),
    ]
    assert players[2]["team"] == "Liverpool" and players[2]["appearences"] == 30
    assert response.json()["Err"] is None


def test_best_players_of_an_unknown_team_is_a_404(league):
    response = league.http.get("/bestplayers/Nowhere United")

    assert response.status_code == 404
    assert "Nowhere United" in response.json()["error"]


def test_best_position_gives_three_players_of_that_position(league):
    response = league.http.request("GET", "/bestposition", json={"position": "Forward"})

    players = response.json()["Players"]
    assert len(players) == 3
    assert {p["position"] for p in players} == {"Forward"}


# The original's forwards with its figures (goals, assists), from its reference season's files.
ORIGINAL_FORWARDS = [
    ("Mohamed Salah", "Liverpool", 22, 8),
    ("Sergio Aguero", "Manchester City", 21, 8),
    ("Sadio Mane", "Liverpool", 22, 1),
    ("Eden Hazard", "Chelsea", 16, 15),
    ("Harry Kane", "Tottenham", 17, 4),
]


def test_best_position_gives_the_three_forwards_the_original_gave_on_its_own_figures(
    league, firestore_client
):
    forwards = [
        player(name, club, "Forward", goals, price=100).model_copy(update={"assists": assists})
        for name, club, goals, assists in ORIGINAL_FORWARDS
    ]
    seed_season(firestore_client, SEASON, [], forwards)

    response = league.http.request("GET", "/bestposition", json={"position": "Forward"})

    # The original listed Salah, Mane and Aguero. Mane (22 goals, 1 assist) and Hazard (16, 15)
    # both score 15.7: the tie goes to goals, a forward's heaviest figure. Ours are best first.
    players = response.json()["Players"]
    assert [p["name"] for p in players] == ["Mohamed Salah", "Sergio Aguero", "Sadio Mane"]


def test_an_unknown_position_is_a_422_naming_the_valid_ones(league):
    response = league.http.post("/bestposition", json={"Position": "Striker"})

    assert response.status_code == 422
    assert "Midfielder" in response.json()["error"]


def test_create_player_adds_one_and_refuses_the_same_name_again(league):
    new_player = {
        "Name": "Phil Foden", "Team": "Manchester City", "Nationality": "England",
        "Position": "Midfielder", "Appearences": 13, "Goals": 1, "Assists": 0, "Passes": 300,
        "Interceptions": 5, "Tackles": 8, "Fouls": 2, "Price": 25,
    }  # fmt: skip

    created = league.http.request("GET", "/createplayer", json={"NewPlayer": new_player})
    again = league.http.post("/createplayer", json={"newplayer": new_player})

    assert created.status_code == 200
    assert created.json() == {"Ops": "Player Phil Foden created in Manchester City", "Err": None}
    assert again.status_code == 409
    assert "Phil Foden" in again.json()["error"]


def test_create_player_in_an_unknown_team_is_a_404(league):
    new_player = {"Name": "A", "Team": "Nowhere", "Nationality": "B", "Position": "Forward"}

    response = league.http.post("/createplayer", json={"NewPlayer": new_player})

    assert response.status_code == 404


def test_delete_player_removes_him_once(league):
    deleted = league.http.get("/deleteplayer/Chelsea/Eden Hazard")
    again = league.http.get("/deleteplayer/Chelsea/Eden Hazard")

    assert deleted.json() == {"Ops": "Player Eden Hazard deleted from Chelsea", "Err": None}
    assert again.status_code == 404
    assert "Eden Hazard" in again.json()["error"]


def test_transfer_moves_the_player_and_both_capitals(league):
    body = {"PlayerName": "Harry Kane", "TeamFrom": "Tottenham", "TeamTO": "Chelsea"}

    response = league.http.request("GET", "/transferplayer", json=body)

    assert response.status_code == 200, response.text
    assert (
        response.json()["Ops"] == "Player Harry Kane transferred from Tottenham to Chelsea for 160"
    )
    assert capitals(league)["Chelsea"] == 40 and capitals(league)["Tottenham"] == 180
    best = league.http.get("/bestplayers/Chelsea").json()["Players"]
    assert "Harry Kane" in [p["name"] for p in best]


def test_a_transfer_the_buyer_cannot_afford_is_a_409_and_changes_nothing(league):
    body = {"playername": "Mohamed Salah", "teamfrom": "Liverpool", "teamto": "Tottenham"}

    response = league.http.post("/transferplayer", json=body)

    assert response.status_code == 409
    assert "cannot afford" in response.json()["error"]
    assert capitals(league) == {
        "Manchester City": 300, "Liverpool": 250, "Chelsea": 200, "Tottenham": 20,
    }  # fmt: skip


def test_a_transfer_of_an_unknown_player_is_a_404(league):
    body = {"PlayerName": "Nobody", "TeamFrom": "Liverpool", "TeamTO": "Chelsea"}

    assert league.http.post("/transferplayer", json=body).status_code == 404


def test_a_body_missing_a_field_is_a_422_in_the_original_error_shape(league):
    response = league.http.post("/transferplayer", json={"PlayerName": "Harry Kane"})

    assert response.status_code == 422
    assert set(response.json()) == {"error"}
