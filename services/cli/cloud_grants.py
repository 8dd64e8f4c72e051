"""Workload Identity: each service's Kubernetes ServiceAccount gets what its code does, no more.
Publishing commands (the frontend's, each partner's) is granted by `league topics ensure`."""

from events.commands import SERVICES
from services.cli.cloud_steps import (
    NAMESPACE,
    Cloud,
    Step,
    grant,
    on_project,
    on_subscription,
    on_topic,
    writes_state,
)

REPLY_SUBSCRIPTIONS_ROLE = "leagueReplySubscriptions"


def workload_identity(cloud: Cloud) -> list[Step]:
    """Each service's Kubernetes ServiceAccount gets exactly what its code does, no key anywhere."""
    topology = cloud.topology
    frontend = cloud.principal(NAMESPACE, "frontend")
    project_role = on_project(cloud)
    roles = ["gcloud", "iam", "roles"]
    # Who may publish commands (the frontend, the partners) `league topics ensure` sets.
    steps = [
        grant(cloud, on_topic(topology.replies_topic), frontend, "roles/pubsub.subscriber"),
        # Each frontend replica makes its own reply subscription at start and deletes it at the
        # end; Pub/Sub checks the right to create subscriptions on the project.
        Step("a role for the frontend's own reply subscriptions",
             [*roles, "create", REPLY_SUBSCRIPTIONS_ROLE, "--title=League reply subscriptions",
              "--permissions=pubsub.subscriptions.create,pubsub.subscriptions.delete,"
              "pubsub.subscriptions.get,pubsub.subscriptions.consume", *cloud.gcloud],
             unless=[*roles, "describe", REPLY_SUBSCRIPTIONS_ROLE, *cloud.gcloud]),
        grant(cloud, project_role, frontend,
              f"projects/{cloud.project}/roles/{REPLY_SUBSCRIPTIONS_ROLE}"),
    ]  # fmt: skip
    for service in SERVICES:
        worker = cloud.principal(NAMESPACE, service)
        subscription = topology.worker_subscription(service)
        publishes = [topology.replies_topic, topology.dead_letter_topic]
        if writes_state(service):  # its outbox publishes the domain events
            publishes.append(topology.events_topic)
        firestore = "roles/datastore.user" if writes_state(service) else "roles/datastore.viewer"
        steps += [
            grant(cloud, on_subscription(subscription), worker, "roles/pubsub.subscriber"),
            *(grant(cloud, on_topic(t), worker, "roles/pubsub.publisher") for t in publishes),
            grant(cloud, project_role, worker, firestore),
        ]
    adapter = cloud.principal("custom-metrics", "custom-metrics-stackdriver-adapter")
    return [*steps, grant(cloud, project_role, adapter, "roles/monitoring.viewer")]
