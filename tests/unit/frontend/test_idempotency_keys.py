"""A worker's refusal of a reused command id reaches an HTTP client as a 422 about its key."""

from events.commands import CreatePlayer
from events.replies import IdReused
from tests.unit.frontend.fakes import SALAH


def refuse_reused_id(command: CreatePlayer):
    raise IdReused("command id 'x' from //league-app/frontend was used before")


def test_a_reused_key_is_a_422_that_names_the_idempotency_key(client, requester):
    requester.handlers[CreatePlayer] = refuse_reused_id

    response = client.post(
        "/api/v1/players", json=SALAH.model_dump(), headers={"Idempotency-Key": "order-17"}
    )

    assert response.status_code == 422 and response.json()["error"]["code"] == "id_reused"
    assert "Idempotency-Key was used before" in response.json()["error"]["message"]
