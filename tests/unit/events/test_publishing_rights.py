"""Who may publish commands: the policy computed for each command topic, and its grant through
the IAM port (a fake of Pub/Sub's topic policies here; the emulator has no IAM)."""

from google.iam.v1 import policy_pb2

from events.commands import SERVICES
from events.partners import Partner
from events.publishing_rights import (
    PUBLISHER_ROLE,
    TopicPolicies,
    grant_publishing,
    publishing_rights,
)
from events.topology import Topology

TOPOLOGY = Topology(project_id="league-prod", prefix="league")
FRONTEND = "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/ns/league/sa/frontend"
SHOP = "serviceAccount:shop@partner.iam.gserviceaccount.com"
SCOUTS = "serviceAccount:scouts@other.iam.gserviceaccount.com"
PARTNERS = {
    SHOP: Partner(sources=["//shop.example"], services=["playerops", "transfer"]),
    SCOUTS: Partner(sources=["//scouts.example"], services=["stats"]),
}


class FakeTopicPolicies(TopicPolicies):
    def __init__(self) -> None:
        self.policies: dict[str, policy_pb2.Policy] = {}
        self.writes: list[str] = []

    def read(self, topic_path: str) -> policy_pb2.Policy:
        stored = self.policies.get(topic_path, policy_pb2.Policy())
        copy = policy_pb2.Policy()
        copy.CopyFrom(stored)
        return copy

    def write(self, topic_path: str, policy: policy_pb2.Policy) -> None:
        self.policies[topic_path] = policy
        self.writes.append(topic_path)

    def members(self, topic: str, role: str) -> set[str]:
        policy = self.policies[TOPOLOGY.topic_path(topic)]
        return {m for binding in policy.bindings if binding.role == role for m in binding.members}


def test_the_frontend_may_publish_every_command_and_a_partner_only_its_services_commands():
    rights = publishing_rights(TOPOLOGY, FRONTEND, PARTNERS)

    assert rights == {
        "league-stats-commands": {FRONTEND, SCOUTS},
        "league-playerops-commands": {FRONTEND, SHOP},
        "league-transfer-commands": {FRONTEND, SHOP},
    }


def test_no_partner_leaves_the_frontend_the_only_publisher_of_commands():
    rights = publishing_rights(TOPOLOGY, FRONTEND, {})

    assert set(rights) == {TOPOLOGY.command_topic(service) for service in SERVICES}
    assert set(rights.values()) == {frozenset({FRONTEND})}


def test_granting_makes_the_named_members_the_only_publishers_and_keeps_other_roles():
    policies = FakeTopicPolicies()
    transfer = TOPOLOGY.command_topic("transfer")
    before = policy_pb2.Policy(etag=b"seen")
    before.bindings.add(role=PUBLISHER_ROLE, members=["user:someone@example.com", SHOP])
    before.bindings.add(role="roles/pubsub.viewer", members=["group:ops@example.com"])
    policies.policies[TOPOLOGY.topic_path(transfer)] = before

    grant_publishing(policies, TOPOLOGY, publishing_rights(TOPOLOGY, FRONTEND, PARTNERS))

    assert policies.members(transfer, PUBLISHER_ROLE) == {FRONTEND, SHOP}
    assert policies.members(transfer, "roles/pubsub.viewer") == {"group:ops@example.com"}
    assert policies.policies[TOPOLOGY.topic_path(transfer)].etag == b"seen"
    assert policies.members(TOPOLOGY.command_topic("stats"), PUBLISHER_ROLE) == {FRONTEND, SCOUTS}


def test_granting_again_changes_no_policy():
    policies = FakeTopicPolicies()
    rights = publishing_rights(TOPOLOGY, FRONTEND, PARTNERS)
    first = grant_publishing(policies, TOPOLOGY, rights)
    written = len(policies.writes)

    assert grant_publishing(policies, TOPOLOGY, rights) == []
    assert sorted(first) == sorted(rights) and len(policies.writes) == written


def test_a_partner_taken_out_of_the_configuration_loses_its_right_to_publish():
    policies = FakeTopicPolicies()
    grant_publishing(policies, TOPOLOGY, publishing_rights(TOPOLOGY, FRONTEND, PARTNERS))

    changed = grant_publishing(policies, TOPOLOGY, publishing_rights(TOPOLOGY, FRONTEND, {}))

    assert changed == [TOPOLOGY.command_topic(s) for s in SERVICES]
    assert policies.members(TOPOLOGY.command_topic("transfer"), PUBLISHER_ROLE) == {FRONTEND}
