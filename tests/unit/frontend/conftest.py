"""The frontend app over a fake requester: every route, no bus."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.frontend.bootstrap import bootstrap
from tests.unit.frontend.fakes import FakeRequester


@pytest.fixture
def requester() -> FakeRequester:
    return FakeRequester()


@pytest.fixture
def client(requester: FakeRequester) -> Iterator[TestClient]:
    with TestClient(bootstrap(requester=requester), follow_redirects=False) as client:
        yield client
