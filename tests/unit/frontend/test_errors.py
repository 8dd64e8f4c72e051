"""What the HTTP edge refuses and how: problem details on /api/v1, the original shape on the
original routes, an Allow header on every 405, and never an unbounded echo of the input."""

import pytest

from events.commands import GetBestPlayers, GetLeagueTable, ListSeasons
from events.replies import NotFound
from events.values import ScoredPlayerList, SeasonList
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/players/Liverpool/Mohamed Salah", "GET, PATCH, DELETE"),
        ("DELETE", "/api/v1/players", "GET, POST"),
        ("TRACE", "/table", "GET, POST"),
        ("PATCH", "/deleteplayer/Chelsea/Eden Hazard", "GET, POST"),
        ("POST", "/api/v1/seasons", "GET"),
        ("POST", "/static/style.css", "GET, HEAD"),
    ],
)
def test_a_method_the_path_lacks_is_a_405_whose_allow_header_names_all_the_paths_methods(
    client, method, path, allowed
):
    response = client.request(method, path)

    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
    assert response.headers["Content-Type"] == PROBLEM
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unknown_path_is_a_404_problem(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404 and response.json()["title"] == "Not Found"


@pytest.mark.parametrize("query", ["season=0", "seasn=2018-19"])
def test_a_query_parameter_the_route_does_not_take_is_a_422_not_ignored(client, requester, query):
    api = client.get(f"/api/v1/seasons?{query}")
    original = client.get(f"/table?{query}")

    assert api.status_code == 422 and api.headers["Content-Type"] == PROBLEM
    assert "unknown query parameter" in api.json()["detail"]
    assert original.status_code == 422
    assert (
        set(original.json()) == {"error"} and "unknown query parameter" in original.json()["error"]
    )
    assert requester.sent == []


def test_a_season_that_is_valid_but_not_loaded_is_a_404_and_one_of_no_valid_shape_a_422(
    client, requester
):
    def only_the_loaded_season(command):
        if command.season not in (None, SEASON):
            raise NotFound(f"there is no season {command.season!r}; known: {SEASON}")
        return TABLE

    requester.handlers[GetLeagueTable] = only_the_loaded_season

    assert client.get("/api/v1/clubs?season=0").status_code == 404
    assert client.get("/api/v1/clubs?season=2018%2019").status_code == 422
    assert client.get("/api/v1/clubs?season=").status_code == 422
    assert client.get(f"/api/v1/clubs?season={SEASON}").status_code == 200


def test_the_original_routes_take_a_season_in_the_query_too(client, requester):
    requester.handlers[GetBestPlayers] = lambda command: ScoredPlayerList(season="0", players=[])

    response = client.get("/bestplayers/Liverpool?season=0")

    assert response.status_code == 200
    assert requester.last().command == GetBestPlayers(season="0", club="Liverpool")
    assert client.get("/bestplayers/Liverpool?season=no%20such").status_code == 422


@pytest.mark.parametrize("price", [False, True, "25", 2.5, -1, 2**53])
def test_a_price_that_is_not_a_whole_number_in_range_is_a_422(client, requester, price):
    response = client.post("/api/v1/players", json={**SALAH.model_dump(), "price": price})

    assert response.status_code == 422
    assert "price" in response.json()["detail"]
    assert requester.sent == []


@pytest.mark.parametrize(
    ("changes", "said"),
    [({}, "changes nothing"), ({"goals": None}, "null is not a value"), ({"goals": True}, "goals")],
)
def test_a_patch_with_nothing_to_change_a_null_or_a_boolean_is_a_422(
    client, requester, changes, said
):
    response = client.patch("/api/v1/players/Liverpool/Mohamed Salah", json=changes)

    assert response.status_code == 422
    assert said in response.json()["detail"]
    assert requester.sent == []


@pytest.mark.parametrize("name", ["-", " Salah", "Salah ", "李", "Sa\x00lah", "S" * 101])
def test_a_name_without_an_ascii_letter_or_with_white_space_at_an_end_is_a_422(
    client, requester, name
):
    response = client.post("/api/v1/players", json={**SALAH.model_dump(), "name": name})

    assert response.status_code == 422
    assert "name" in response.json()["detail"]
    assert requester.sent == []


def test_a_body_too_deeply_nested_to_read_is_a_400_on_either_kind_of_route(client):
    nested = b"[" * 100_000

    api = client.post(
        "/api/v1/players", content=nested, headers={"Content-Type": "application/json"}
    )
    original = client.post("/createplayer", content=nested)

    assert api.status_code == 400 and api.headers["Content-Type"] == PROBLEM
    assert original.status_code == 400 and set(original.json()) == {"error"}


HUGE = "x" * 100_000
LONG = "x" * 5_000  # a URL has room for less


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/table", {"League": HUGE}),
        ("POST", "/bestposition", {"position": HUGE}),
        ("POST", "/api/v1/players", {**SALAH.model_dump(), "name": HUGE, "club": HUGE}),
        ("POST", "/api/v1/players", {f"{HUGE}{i}": i for i in range(50)}),
        ("POST", "/createplayer", {"NewPlayer": {f"{HUGE}{i}": i for i in range(50)}}),
        ("PATCH", f"/api/v1/players/{LONG}/{LONG}", {"goals": 1}),
        ("GET", f"/api/v1/clubs?{LONG}=1&{LONG}2=2", None),
    ],
)
def test_an_error_body_never_echoes_more_than_a_bounded_part_of_the_input(
    client, requester, method, path, body
):
    requester.handlers[ListSeasons] = lambda command: SeasonList(seasons=[SEASON], current=SEASON)

    response = client.request(method, path, json=body)

    assert 400 <= response.status_code < 500
    assert len(response.content) < 4000, response.text[:4000]
