"""The same Idempotency-Key with another body is a 422 (IETF Idempotency-Key draft): the worker
refuses a used command id asking for something else, and the refusal travels back to the client."""

import pytest

from tests.e2e.frontend.test_api import FODEN, KANE_TO_CHELSEA, capital_of

pytestmark = pytest.mark.emulators

MOUNT = {**FODEN, "name": "Mason Mount", "club": "Chelsea"}


def test_a_key_reused_with_another_body_is_a_422_and_only_the_first_request_acts(league):
    headers = {"Idempotency-Key": "create-1"}
    first = league.http.post("/api/v1/players", json=FODEN, headers=headers)
    reused = league.http.post("/api/v1/players", json=MOUNT, headers=headers)
    repeated = league.http.post("/api/v1/players", json=FODEN, headers=headers)

    assert first.status_code == 201 and repeated.json() == first.json()
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "id_reused"
    assert "Idempotency-Key was used before with another request body" in reused.text
    assert league.http.get("/api/v1/players/Chelsea/Mason Mount").status_code == 404


def test_a_transfer_key_reused_for_another_buyer_is_a_422_and_moves_no_money(league):
    headers = {"Idempotency-Key": "kane-1"}
    first = league.http.post("/api/v1/transfers", json=KANE_TO_CHELSEA, headers=headers)
    to_liverpool = {**KANE_TO_CHELSEA, "to_club": "Liverpool"}
    reused = league.http.post("/api/v1/transfers", json=to_liverpool, headers=headers)

    assert first.status_code == 200 and reused.status_code == 422
    assert capital_of(league, "Liverpool") == 250 and capital_of(league, "Chelsea") == 40
