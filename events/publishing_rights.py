"""Who may publish commands, as Pub/Sub IAM enforces it: the frontend on every command topic, each
partner (events/partners.py) on the topics of the services it may command, and nobody else.

`league topics ensure` makes each command topic's publisher binding exactly that, on real Pub/Sub
(the emulator has no IAM); other roles on the topics stay as they are.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping

from google.cloud import pubsub_v1
from google.iam.v1 import policy_pb2

from events.commands import SERVICES
from events.partners import Partner
from events.topology import Topology

PUBLISHER_ROLE = "roles/pubsub.publisher"


def publishing_rights(
    topology: Topology, frontend_member: str, partners: Mapping[str, Partner]
) -> dict[str, frozenset[str]]:
    """Each command topic, with the IAM members that may publish to it."""
    return {
        topology.command_topic(service): frozenset(
            {frontend_member, *(m for m, p in partners.items() if service in p.services)}
        )
        for service in SERVICES
    }


class TopicPolicies(ABC):
    """The IAM policies of topics: Pub/Sub's in production, a fake in the unit tests."""

    @abstractmethod
    def read(self, topic_path: str) -> policy_pb2.Policy: ...

    @abstractmethod
    def write(self, topic_path: str, policy: policy_pb2.Policy) -> None: ...


class PubsubTopicPolicies(TopicPolicies):
    def __init__(self, publisher: pubsub_v1.PublisherClient) -> None:
        self._publisher = publisher

    def read(self, topic_path: str) -> policy_pb2.Policy:
        return self._publisher.get_iam_policy(request={"resource": topic_path})

    def write(self, topic_path: str, policy: policy_pb2.Policy) -> None:
        # The policy carries the etag it was read with: a change made since fails, not lost.
        self._publisher.set_iam_policy(request={"resource": topic_path, "policy": policy})


def grant_publishing(
    policies: TopicPolicies, topology: Topology, rights: Mapping[str, frozenset[str]]
) -> list[str]:
    """Makes the publishers of each topic of `rights` exactly its members; returns the topics
    whose policy had to change (none, the second time)."""
    changed = []
    for topic, members in rights.items():
        path = topology.topic_path(topic)
        policy = policies.read(path)
        if _publishers(policy) != members:
            _replace_publishers(policy, members)
            policies.write(path, policy)
            changed.append(topic)
    return changed


def _publishers(policy: policy_pb2.Policy) -> frozenset[str]:
    return frozenset(m for b in policy.bindings if b.role == PUBLISHER_ROLE for m in b.members)


def _replace_publishers(policy: policy_pb2.Policy, members: frozenset[str]) -> None:
    others = [binding for binding in policy.bindings if binding.role != PUBLISHER_ROLE]
    del policy.bindings[:]
    policy.bindings.extend(others)
    policy.bindings.add(role=PUBLISHER_ROLE, members=sorted(members))
