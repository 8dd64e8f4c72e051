"""No route reads a body larger than the contract's largest command: 413, in the route's shape."""

import pytest

from services.frontend.body_limit import MAX_BODY_BYTES

TOO_LARGE = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'


def chunks(body: bytes):
    """The body without a Content-Length, as a client streaming it sends it."""
    for start in range(0, len(body), 8192):
        yield body[start : start + 8192]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
@pytest.mark.parametrize(
    ("method", "path", "legacy"),
    [
        ("POST", "/api/v1/players", False),
        ("POST", "/api/v1/transfers", False),
        ("PATCH", "/api/v1/players/Liverpool/Mohamed Salah", False),
        ("POST", "/createplayer", True),
        ("GET", "/transferplayer", True),
        ("GET", "/table", True),
        ("POST", "/bestposition", True),
    ],
)
def test_a_body_over_the_limit_is_a_413_in_the_routes_shape(
    client, requester, method, path, legacy, declared
):
    content = TOO_LARGE if declared else chunks(TOO_LARGE)
    headers = {"Content-Type": "application/json"}
    response = client.request(method, path, content=content, headers=headers)

    assert response.status_code == 413
    assert requester.sent == []
    if legacy:
        assert set(response.json()) == {"error"}
    else:
        assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/forms/players", "/signin"])
def test_a_form_over_the_limit_is_a_413(browser, requester, path):
    response = browser.post(path, data={"name": "x" * MAX_BODY_BYTES})

    assert response.status_code == 413
    assert requester.sent == []


def test_a_body_at_the_limit_is_read(client, requester):
    body = b'{"league": "' + b" " * (MAX_BODY_BYTES - 20) + b'"}'
    assert len(body) <= MAX_BODY_BYTES

    response = client.request("GET", "/table", content=body)

    assert response.status_code != 413
