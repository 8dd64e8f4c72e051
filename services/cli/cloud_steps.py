"""The cloud path as data: each step one command, in order, with what makes it safe to repeat.

A `${name}` in a command is a value an earlier step found out (the project number, an image's
digest); a dry run prints it as it stands. `unless` is a command whose success means the step's
work is there already; `only_if`, one without whose success there is nothing to do.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from events.commands import ALL_COMMANDS
from events.partners import Partner
from events.topology import Topology

NAMESPACE = "league"  # k8s/base/namespace.yaml
GATEWAY, GATEWAY_NAMESPACE = "league-gateway", "league-ingress"  # istio/gateway.yaml
CLUSTER = REPOSITORY = "league"
FUNCTION = "league-ingest"
DEMO_SEASON = ("data/seasons/2018-19", "2018-19")
# Google's manifest of the Custom Metrics Stackdriver Adapter, which serves Pub/Sub's backlog to
# the workers' HorizontalPodAutoscalers.
METRICS_ADAPTER = (
    "https://raw.githubusercontent.com/GoogleCloudPlatform/k8s-stackdriver/master/"
    "custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml"
)
APIS = (
    "container", "artifactregistry", "pubsub", "firestore", "cloudfunctions", "run", "eventarc",
    "cloudbuild", "storage", "iam", "monitoring", "mesh", "gkehub",
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    what: str
    command: list[str]
    unless: list[str] | None = None
    only_if: list[str] | None = None
    keep_as: str | None = None  # the command's output becomes ${keep_as} for later steps
    environment: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WriteFile:
    what: str
    path: str
    text: str


@dataclass(frozen=True)
class Cloud:
    """Where the app goes: a Google Cloud project and a region."""

    project: str
    region: str
    bucket: str
    topology: Topology
    # Other systems that may publish commands (LEAGUE_PARTNERS), by IAM member.
    partners: Mapping[str, Partner] = field(default_factory=dict)

    @property
    def gcloud(self) -> list[str]:
        return [f"--project={self.project}"]

    @property
    def registry(self) -> str:
        return f"{self.region}-docker.pkg.dev/{self.project}/{REPOSITORY}"

    @property
    def function_account(self) -> str:
        return f"{FUNCTION}@{self.project}.iam.gserviceaccount.com"

    @property
    def partners_setting(self) -> str:
        """LEAGUE_PARTNERS as the processes read it: the same partners for the grants and the
        workers' source checks."""
        return json.dumps({member: p.model_dump() for member, p in self.partners.items()})

    def principal(self, namespace: str, service_account: str) -> str:
        """A Kubernetes ServiceAccount as an IAM principal (Workload Identity Federation)."""
        pool = f"{self.project}.svc.id.goog"
        return (
            "principal://iam.googleapis.com/projects/${project_number}/locations/global/"
            f"workloadIdentityPools/{pool}/subject/ns/{namespace}/sa/{service_account}"
        )


def writes_state(service: str) -> bool:
    return any(not c.read_only for c in ALL_COMMANDS if c.service == service)


Resource = tuple[list[str], str, list[str]]  # gcloud's noun for it, its name, flags it needs


def grant(cloud: Cloud, resource: Resource, member: str, role: str) -> Step:
    """`gcloud <noun> add-iam-policy-binding <name>`: idempotent, a binding there already stays."""
    noun, name, flags = resource
    command = ["gcloud", *noun, "add-iam-policy-binding", name, f"--member={member}"]
    return Step(f"grant {role}", [*command, f"--role={role}", *flags, *cloud.gcloud])


def on_topic(topic: str) -> Resource:
    return ["pubsub", "topics"], topic, []


def on_subscription(subscription: str) -> Resource:
    return ["pubsub", "subscriptions"], subscription, []


def on_bucket(bucket: str) -> Resource:
    return ["storage", "buckets"], f"gs://{bucket}", []


def on_project(cloud: Cloud) -> Resource:
    # The project's policy may hold conditional bindings; these are not.
    return ["projects"], cloud.project, ["--condition=None"]
