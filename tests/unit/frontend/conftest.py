"""The frontend app over a fake requester: every route, no bus; tokens of a key made here."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.devstack.token_issuer import SigningKey
from services.frontend.auth_settings import AuthSettings
from services.frontend.bootstrap import bootstrap
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
