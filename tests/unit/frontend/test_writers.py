"""Who may change the league: every write route wants a writer's token, no read route any."""

import re
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from events.commands import CreatePlayer, DeletePlayer, TransferPlayer, UpdatePlayer
from events.envelope import ACTOR
from events.values import PlayerDeletion, PlayerResult, TransferResult
from services.devstack.token_issuer import SigningKey
from services.frontend.auth_settings import AuthSettings
from services.frontend.bootstrap import bootstrap
from services.frontend.tokens import TokenVerifier
from tests.deploy.frontend_routes import exposed_routes
from tests.unit.frontend.conftest import AUTH, mint
from tests.unit.frontend.fakes import SALAH, SEASON, FakeRequester, KnownKeys

WRITES = (CreatePlayer, UpdatePlayer, DeletePlayer, TransferPlayer)


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    body: dict[str, Any] | None = None

    @property
    def legacy(self) -> bool:
        return not self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


LEGACY_PLAYER = {
    "NewPlayer": {"Name": "Phil Foden", "Team": "Manchester City", "Nationality": "England",
                  "Position": "Midfielder", "Appearences": 13, "Goals": 1, "Price": 25}
}  # fmt: skip
LEGACY_TRANSFER = {"PlayerName": "Mohamed Salah", "TeamFrom": "Liverpool", "TeamTo": "Chelsea"}
TRANSFER = {"player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Chelsea"}
SALAH_PATH = "/api/v1/players/Liverpool/Mohamed Salah"
WRITE_ROUTES = [
    Write("POST", "/api/v1/players", SALAH.model_dump()),
    Write("PATCH", SALAH_PATH, {"goals": 23}),
    Write("DELETE", SALAH_PATH),
    Write("POST", "/api/v1/transfers", TRANSFER),
    *(Write(method, "/createplayer", LEGACY_PLAYER) for method in ("GET", "POST")),
    *(Write(method, "/deleteplayer/Liverpool/Mohamed Salah") for method in ("GET", "POST")),
    *(Write(method, "/transferplayer", LEGACY_TRANSFER) for method in ("GET", "POST")),
]
EVERY_WRITE = pytest.mark.parametrize("write", WRITE_ROUTES, ids=str)


def send(client: TestClient, write: Write, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(write.method, write.path, json=write.body, headers=headers)


@pytest.fixture
def workers(requester: FakeRequester) -> FakeRequester:
    """Workers that carry out every write."""
    requester.handlers[CreatePlayer] = lambda c: PlayerResult(season=SEASON, player=c.player)
    requester.handlers[UpdatePlayer] = lambda c: PlayerResult(season=SEASON, player=SALAH)
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=SEASON, club=c.club, name=c.name
    )
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Chelsea", to_club_capital=150,
    )  # fmt: skip
    return requester


def writes_sent(requester: FakeRequester) -> list[Any]:
    return [sent.command for sent in requester.sent if isinstance(sent.command, WRITES)]


def assert_refused(response, write: Write, status: int, challenge: str) -> None:
    assert response.status_code == status, response.text
    assert re.match(challenge, response.headers["WWW-Authenticate"])
    if write.legacy:
        assert set(response.json()) == {"error"}
    else:
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status


@EVERY_WRITE
def test_a_write_with_a_writers_token_is_sent_with_its_subject_as_actor(
    anonymous, workers, signing_key, write
):
    response = send(anonymous, write, mint(signing_key, subject="alice"))

    assert response.is_success, response.text
    assert len(writes_sent(workers)) == 1
    assert workers.last().extensions == {ACTOR: "alice"}


@EVERY_WRITE
def test_a_write_without_a_token_is_a_401_with_a_bearer_challenge(anonymous, workers, write):
    response = send(anonymous, write)

    assert_refused(response, write, 401, r'^Bearer realm="league"$')
    assert writes_sent(workers) == []


def expired(key: SigningKey) -> str:
    return mint(key, exp=1_700_000_000)


def wrong_issuer(key: SigningKey) -> str:
    return mint(key, iss="https://issuer.example")


def wrong_audience(key: SigningKey) -> str:
    return mint(key, aud="another-app")


def signed_by_another_key(key: SigningKey) -> str:
    return mint(SigningKey.generate())


def signed_by_another_key_under_the_issuers_key_id(key: SigningKey) -> str:
    return mint(SigningKey(SigningKey.generate().private_key, key.key_id))


def shared_secret_with_the_issuers_key_id(key: SigningKey) -> str:
    claims = {"iss": AUTH.issuer, "aud": AUTH.audience, "sub": "x", "exp": 4_000_000_000}
    return jwt.encode(claims, "a" * 32, "HS256", headers={"kid": key.key_id})


def without_a_subject(key: SigningKey) -> str:
    return mint(key, sub=None)


def not_a_jwt(key: SigningKey) -> str:
    return "not.a.token"


BAD_TOKENS = [
    expired,
    wrong_issuer,
    wrong_audience,
    signed_by_another_key,
    signed_by_another_key_under_the_issuers_key_id,
    shared_secret_with_the_issuers_key_id,
    without_a_subject,
    not_a_jwt,
]


@EVERY_WRITE
@pytest.mark.parametrize("bad_token", BAD_TOKENS, ids=lambda f: f.__name__)
def test_a_write_with_a_token_that_does_not_hold_is_a_401(
    anonymous, workers, signing_key, write, bad_token
):
    response = send(anonymous, write, bad_token(signing_key))

    assert_refused(response, write, 401, r'^Bearer realm="league", error="invalid_token"')
    assert writes_sent(workers) == []


@EVERY_WRITE
def test_a_write_with_a_valid_token_without_the_writer_role_is_a_403(
    anonymous, workers, signing_key, write
):
    response = send(anonymous, write, mint(signing_key, roles=["reader"]))

    assert_refused(response, write, 403, r'^Bearer realm="league", error="insufficient_scope"$')
    assert writes_sent(workers) == []


def test_a_subject_on_the_allow_list_may_write_without_the_role(workers, signing_key):
    settings = AuthSettings(writer_subjects=["ops@league.example"])
    tokens = TokenVerifier(settings, KnownKeys(signing_key.jwks()))
    token = mint(signing_key, subject="ops@league.example", roles=[])
    with TestClient(bootstrap(requester=workers, tokens=tokens)) as client:
        allowed = send(client, WRITE_ROUTES[0], token)
        refused = send(client, WRITE_ROUTES[0], mint(signing_key, subject="else", roles=[]))

    assert allowed.status_code == 201
    assert refused.status_code == 403


def test_a_role_claim_may_be_a_space_separated_string(anonymous, workers, signing_key):
    response = send(anonymous, WRITE_ROUTES[0], mint(signing_key, roles="reader league-writer"))

    assert response.status_code == 201


class UnreachableKeys(KnownKeys):
    def fetch_data(self) -> Any:
        raise jwt.PyJWKClientConnectionError("connection refused")


def test_a_write_while_the_issuers_keys_cannot_be_fetched_is_a_503(workers, signing_key):
    tokens = TokenVerifier(AUTH, UnreachableKeys({}))
    with TestClient(bootstrap(requester=workers, tokens=tokens)) as client:
        response = send(client, WRITE_ROUTES[0], mint(signing_key))

    assert response.status_code == 503
    assert writes_sent(workers) == []


WRITE_OPERATIONS = {
    "POST /api/v1/players", "PATCH /api/v1/players/{club}/{name}",
    "DELETE /api/v1/players/{club}/{name}", "POST /api/v1/transfers",
    "GET /createplayer", "POST /createplayer", "GET /deleteplayer/{team}/{player}",
    "POST /deleteplayer/{team}/{player}", "GET /transferplayer", "POST /transferplayer",
}  # fmt: skip


def test_the_operations_that_want_a_writer_are_exactly_the_write_routes():
    wanting = {f"{route.method} {route.path}" for route in exposed_routes() if route.writer}

    assert wanting == WRITE_OPERATIONS
    assert len(WRITE_ROUTES) == len(WRITE_OPERATIONS)


def test_no_read_route_asks_for_a_token(anonymous, workers):
    reads = [
        (route.method, re.sub(r"\{[a-z_]+\}", "Liverpool", route.path).replace("/*", "/style.css"))
        for route in exposed_routes()
        # The web page's forms and its sign-in are no API routes: test_page_security.py.
        if not route.writer and not route.path.startswith(("/forms", "/signin", "/signout"))
    ]
    assert len(reads) > 15

    answered = {
        (method, path): anonymous.request(method, path).status_code for method, path in reads
    }

    assert {read: status for read, status in answered.items() if status in (401, 403)} == {}


def test_the_openapi_document_names_the_bearer_scheme_on_the_write_operations_only(anonymous):
    document = anonymous.get("/openapi.json").json()
    secured = {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    }

    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert secured == WRITE_OPERATIONS
