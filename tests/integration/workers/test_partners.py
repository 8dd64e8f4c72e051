"""Who may command a worker over the bus: our own sources and the configured partners', each on
the topics it was allowed; any other source gets an error reply and is kept as a dead letter."""

import pytest

from events.commands import CreatePlayer
from events.partners import Partner
from events.settings import Settings
from firestore_layout import player_path
from tests.conftest import PROJECT_ID
from tests.integration.workers.conftest import SEASON, ask, seed
from tests.support.bus import pull_all
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators

SHOP = "serviceAccount:shop@partner.iam.gserviceaccount.com"
SCOUTS = "serviceAccount:scouts@partner.iam.gserviceaccount.com"


@pytest.fixture
def settings(emulators, settings):
    """The test's settings, with two partners: the shop may command playerops, the scouts only
    transfers."""
    partners = {
        SHOP: Partner(sources=["//shop.example"], services=["playerops"]),
        SCOUTS: Partner(sources=["//scouts.example"], services=["transfer"]),
    }
    return Settings(project_id=PROJECT_ID, topic_prefix=settings.topic_prefix, partners=partners)


def create(name: str) -> CreatePlayer:
    return CreatePlayer(player=player(name, "Chelsea"))


def test_a_partner_sending_under_its_own_source_is_obeyed(
    topology, firestore_client, publisher, subscriber, playerops
):
    seed(firestore_client, [club("Chelsea")], [])

    [reply] = ask(topology, subscriber, [create("Mount")], "//shop.example")

    assert reply.status == 200


@pytest.mark.parametrize(
    "source", ["//stranger.example", "//scouts.example"], ids=["unknown", "not-on-this-topic"]
)
def test_a_command_from_a_source_not_allowed_here_is_refused_and_kept_as_a_dead_letter(
    topology, firestore_client, publisher, subscriber, playerops, source
):
    seed(firestore_client, [club("Chelsea")], [])

    [reply] = ask(topology, subscriber, [create("Mount")], source)
    kept = pull_all(subscriber, topology.subscription_path(topology.dead_letter_subscription), 1)

    assert reply.status == 403 and reply.error.code == "unknown_source"
    assert [message.attributes["ce-source"] for message in kept] == [source]
    assert kept[0].attributes["league-error-code"] == "unknown_source"
    assert not firestore_client.document(player_path(SEASON, "Chelsea", "Mount")).get().exists
