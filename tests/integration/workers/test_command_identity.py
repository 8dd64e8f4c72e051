"""Command identity over the bus, as other systems publish: (ce-source, ce-id), payload checked."""

import pytest

from events.commands import CreatePlayer
from firestore_layout import player_path
from tests.integration.workers.conftest import SEASON, ask, seed
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


def create(name: str) -> CreatePlayer:
    return CreatePlayer(player=player(name, "Chelsea"))


def test_two_systems_sending_the_same_id_each_get_their_player_created(
    topology, firestore_client, publisher, subscriber, playerops
):
    seed(firestore_client, [club("Chelsea")], [])
    [shop] = ask(topology, subscriber, [create("Pulisic")], "//shop", command_id="7")
    [scouts] = ask(topology, subscriber, [create("Mount")], "//scouts", command_id="7")

    assert shop.status == scouts.status == 200
    assert firestore_client.document(player_path(SEASON, "Chelsea", "Mount")).get().exists


def test_an_id_sent_again_with_another_payload_is_refused_and_creates_nothing(
    topology, firestore_client, publisher, subscriber, playerops
):
    seed(firestore_client, [club("Chelsea")], [])
    [first] = ask(topology, subscriber, [create("Pulisic")], command_id="8")
    [other, again] = ask(topology, subscriber, [create("Mount"), create("Pulisic")], command_id="8")

    assert first.status == 200 and again == first
    assert other.status == 422 and other.error.code == "id_reused"
    assert not firestore_client.document(player_path(SEASON, "Chelsea", "Mount")).get().exists
