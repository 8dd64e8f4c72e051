"""From an empty Google Cloud project to League App running on GKE, and back: the steps in order."""

from events.commands import SERVICES
from services.cli.cloud_grants import REPLY_SUBSCRIPTIONS_ROLE, workload_identity
from services.cli.cloud_resources import (
    cluster_and_mesh,
    images,
    ingest_function,
    project_and_data,
)
from services.cli.cloud_steps import (
    CLUSTER,
    DEMO_SEASON,
    FUNCTION,
    GATEWAY,
    GATEWAY_NAMESPACE,
    NAMESPACE,
    REPOSITORY,
    Cloud,
    Step,
    WriteFile,
)
from shipping.images import IMAGES

OVERLAY = "build/gke"  # written by the plan on top of k8s/overlays/gke


def up(cloud: Cloud) -> list[Step | WriteFile]:
    return [
        *project_and_data(cloud),
        *ingest_function(cloud),
        *images(cloud),
        *cluster_and_mesh(cloud),
        *workload_identity(cloud),
        *deploy_and_smoke_test(cloud),
    ]


def overlay_text(cloud: Cloud) -> str:
    images = "".join(
        f"  - name: {image.name}\n    newName: {cloud.registry}/{image.name}\n"
        f"    digest: ${{digest_{image.name}}}\n"
        for image in IMAGES
    )
    return (
        "# Written by `league cloud up`: k8s/overlays/gke, this project's images and id.\n"
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources:\n  - ../../k8s/overlays/gke\n"
        f"images:\n{images}"
        "configMapGenerator:\n  - name: league-settings\n    namespace: league\n"
        f"    behavior: merge\n    literals:\n      - LEAGUE_PROJECT_ID={cloud.project}\n"
        f"{_partners_literal(cloud)}"
    )


def _partners_literal(cloud: Cloud) -> str:
    """The workers check sources against the partners the script granted: the same setting."""
    if not cloud.partners:
        return ""
    quoted = "LEAGUE_PARTNERS=" + cloud.partners_setting
    return "      - '" + quoted.replace("'", "''") + "'\n"


def deploy_and_smoke_test(cloud: Cloud) -> list[Step | WriteFile]:
    folder, season = DEMO_SEASON
    gateway = [f"gateway/{GATEWAY}", f"--namespace={GATEWAY_NAMESPACE}"]
    return [
        WriteFile("the overlay with this project's images", f"{OVERLAY}/kustomization.yaml",
                  overlay_text(cloud)),
        Step("the app, the mesh policies and the gateway", ["kubectl", "apply", "-k", OVERLAY]),
        *(Step(f"wait for {image.name}", ["kubectl", "rollout", "status",
               f"deployment/{image.name}", f"--namespace={NAMESPACE}", "--timeout=10m"])
          for image in IMAGES),
        Step("the demo season, through the bucket and the function",
             ["league", "upload", folder, f"--season={season}", "--wait"],
             environment={"LEAGUE_PROJECT_ID": cloud.project, "LEAGUE_BUCKET": cloud.bucket}),
        Step("wait for the gateway", ["kubectl", "wait", "--for=condition=Programmed",
             *gateway, "--timeout=10m"]),
        Step("the gateway's address", ["kubectl", "get", *gateway,
             "--output=jsonpath={.status.addresses[0].value}"], keep_as="gateway_address"),
        Step("smoke test: the league table through the gateway",
             ["curl", "--fail", "--silent", "--show-error", "--retry", "12", "--retry-delay", "5",
              "--retry-all-errors", f"http://${{gateway_address}}/api/v1/clubs?season={season}"]),
    ]  # fmt: skip


def down(cloud: Cloud) -> list[Step | WriteFile]:
    """Everything `up` made, deleted; deleting the project (gcloud projects delete) also does."""
    topology = cloud.topology
    where = [f"--region={cloud.region}", *cloud.gcloud]
    subscriptions = [*(topology.worker_subscription(s) for s in SERVICES),
                     topology.dead_letter_subscription]  # fmt: skip

    def delete(what: str, noun: list[str], name: str, *flags: str) -> Step:
        return Step(f"delete {what}", ["gcloud", *noun, "delete", name, *flags, "--quiet"],
                    only_if=["gcloud", *noun, "describe", name, *flags])  # fmt: skip

    return [
        delete("the cluster", ["container", "clusters"], CLUSTER, *where),
        delete("the function", ["functions"], FUNCTION, *where),
        delete("the repository", ["artifacts", "repositories"], REPOSITORY,
               f"--location={cloud.region}", *cloud.gcloud),
        Step("delete the bucket", ["gcloud", "storage", "rm", "--recursive",
             f"gs://{cloud.bucket}", *cloud.gcloud],
             only_if=["gcloud", "storage", "buckets", "describe", f"gs://{cloud.bucket}",
                      *cloud.gcloud]),
        *(delete(name, ["pubsub", "subscriptions"], name, *cloud.gcloud) for name in subscriptions),
        *(delete(name, ["pubsub", "topics"], name, *cloud.gcloud) for name in topology.topics()),
        delete("the function's account", ["iam", "service-accounts"], cloud.function_account,
               *cloud.gcloud),
        delete("the reply-subscriptions role", ["iam", "roles"], REPLY_SUBSCRIPTIONS_ROLE,
               *cloud.gcloud),
        delete("the Firestore database", ["firestore", "databases"], "--database=(default)",
               *cloud.gcloud),
    ]  # fmt: skip
