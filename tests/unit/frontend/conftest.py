"""The frontend app over a fake requester: every route, no bus; tokens of a key made here."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.devstack.token_issuer import SigningKey
from services.frontend.auth_settings import AuthSettings
from services.frontend.bootstrap import bootstrap
from services.frontend.sessions import CSRF_FIELD, csrf_token
from services.frontend.tokens import TokenVerifier
from tests.unit.frontend.fakes import FakeRequester, KnownKeys

AUTH = AuthSettings()


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


def mint(key: SigningKey, subject: str = "tester", **claims: object) -> str:
    """A token of the trusted issuer for the frontend's audience; `claims` override any."""
    claims = {AUTH.role_claim: [AUTH.writer_role], **claims}
    return key.mint(issuer=AUTH.issuer, audience=AUTH.audience, subject=subject, claims=claims)


@pytest.fixture
def requester() -> FakeRequester:
    return FakeRequester()


@pytest.fixture
def anonymous(requester: FakeRequester, signing_key: SigningKey) -> Iterator[TestClient]:
    """A client that sends no token."""
    tokens = TokenVerifier(AUTH, KnownKeys(signing_key.jwks()))
    with TestClient(
        bootstrap(requester=requester, tokens=tokens), follow_redirects=False
    ) as client:
        yield client


@pytest.fixture
def client(anonymous: TestClient, signing_key: SigningKey) -> TestClient:
    """A client that sends a writer's token with every request, as an API client would."""
    anonymous.headers["Authorization"] = f"Bearer {mint(signing_key)}"
    return anonymous


class SignedIn:
    """A browser signed in at /signin: it keeps the session cookie, and its form posts carry
    the page's CSRF token, as the rendered forms do."""

    def __init__(self, client: TestClient, token: str) -> None:
        signed_in = client.post("/signin", data={"token": token})
        assert signed_in.status_code == 303, signed_in.text
        self.client = client
        self.csrf = csrf_token(token)

    def get(self, url: str, **options: Any) -> Any:
        return self.client.get(url, **options)

    def post(self, url: str, data: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.client.post(url, data={**(data or {}), CSRF_FIELD: self.csrf}, **options)


@pytest.fixture
def browser(anonymous: TestClient, signing_key: SigningKey) -> SignedIn:
    return SignedIn(anonymous, mint(signing_key, subject="page-user"))
