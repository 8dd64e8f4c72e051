"""The OpenAPI document states what the handlers enforce and every status a route can answer
(the fuzzing in tests/e2e holds the running stack to it)."""

import pytest

from events.values import LARGEST_NUMBER, NAME_PATTERN

ERRORS_OVER_THE_BUS = {"404", "422", "500", "503", "504"}


@pytest.fixture
def document(client):
    return client.get("/openapi.json").json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def schema_of(document, reference):
    return document["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


def test_every_route_over_the_bus_documents_its_error_statuses_in_the_shape_it_sends(document):
    for name, operation in operations(document):
        if name.endswith(("/healthz", "/readyz")):
            continue
        responses = operation["responses"]
        assert set(responses) >= ERRORS_OVER_THE_BUS, name
        media = "application/problem+json" if "/api/v1/" in name else "application/json"
        for status in ERRORS_OVER_THE_BUS:
            assert list(responses[status]["content"]) == [media], f"{name} {status}"


def test_writes_document_a_409_and_routes_with_a_body_a_400(document):
    for name, operation in operations(document):
        writes = "Idempotency-Key" in {p["name"] for p in operation.get("parameters", [])}
        assert ("409" in operation["responses"]) == writes, name
        if "requestBody" in operation:
            assert "400" in operation["responses"], name


def test_every_count_states_the_range_a_json_reader_and_firestore_both_hold(document):
    player = document["components"]["schemas"]["PlayerCreate"]["properties"]
    for figure in ("appearances", "goals", "passes", "price"):
        assert (player[figure]["minimum"], player[figure]["maximum"]) == (0, LARGEST_NUMBER)
    assert player["name"]["pattern"] == NAME_PATTERN and player["name"]["maxLength"] == 100


def test_a_patch_body_states_that_it_changes_something_and_takes_no_nulls(document):
    update = document["components"]["schemas"]["PlayerUpdate"]

    assert update["minProperties"] == 1 and update["additionalProperties"] is False
    assert all(
        "anyOf" not in field and "null" not in str(field) for field in update["properties"].values()
    )


def test_the_top_players_are_asked_for_a_position_with_a_score(document):
    (position,) = [
        p
        for p in document["paths"]["/api/v1/players/top"]["get"]["parameters"]
        if p["name"] == "position"
    ]
    assert position["schema"]["enum"] == ["Defender", "Midfielder", "Forward"]


@pytest.mark.parametrize(
    ("path", "required"),
    [
        ("/table", False),
        ("/bestposition", True),
        ("/createplayer", True),
        ("/transferplayer", True),
    ],
)
def test_the_original_routes_bodies_are_documented_though_read_by_hand(document, path, required):
    for method in ("get", "post"):
        body = document["paths"][path][method]["requestBody"]
        assert body["required"] is required
        assert "$ref" not in str(body), "a $ref into the body's own $defs would not resolve"
        assert body["content"]["application/json"]["schema"]["properties"]
