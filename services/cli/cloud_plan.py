"""From an empty Google Cloud project to League App running on GKE, and back: the steps in order."""

from events.commands import SERVICES
from services.cli.cloud_steps import (
    APIS,
    CLUSTER,
    DEMO_SEASON,
    FUNCTION,
    GATEWAY,
    GATEWAY_NAMESPACE,
    METRICS_ADAPTER,
    NAMESPACE,
    REPOSITORY,
    Cloud,
    Step,
    WriteFile,
    grant,
    on_bucket,
    on_project,
    on_subscription,
    on_topic,
    writes_state,
)
from shipping.images import IMAGES

OVERLAY = "build/gke"  # written by the plan on top of k8s/overlays/gke
REPLY_SUBSCRIPTIONS_ROLE = "leagueReplySubscriptions"


def up(cloud: Cloud) -> list[Step | WriteFile]:
    return [
        *project_and_data(cloud),
        *ingest_function(cloud),
        *images(cloud),
        *cluster_and_mesh(cloud),
        *workload_identity(cloud),
        *deploy_and_smoke_test(cloud),
    ]


def project_and_data(cloud: Cloud) -> list[Step]:
    topology = cloud.topology
    pubsub_agent = "serviceAccount:service-${project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
    database = ["gcloud", "firestore", "databases"]
    bucket = f"gs://{cloud.bucket}"
    return [
        Step("enable the APIs", ["gcloud", "services", "enable",
             *(f"{api}.googleapis.com" for api in APIS), *cloud.gcloud]),
        Step("the project number", ["gcloud", "projects", "describe", cloud.project,
             "--format=value(projectNumber)"], keep_as="project_number"),
        Step("the Firestore database (native mode)",
             [*database, "create", "--database=(default)", f"--location={cloud.region}",
              "--type=firestore-native", *cloud.gcloud],
             unless=[*database, "describe", "--database=(default)", *cloud.gcloud]),
        Step("the season bucket",
             ["gcloud", "storage", "buckets", "create", bucket, f"--location={cloud.region}",
              "--uniform-bucket-level-access", "--public-access-prevention", *cloud.gcloud],
             unless=["gcloud", "storage", "buckets", "describe", bucket, *cloud.gcloud]),
        Step("topics and subscriptions", ["league", "topics", "ensure"],
             environment={"LEAGUE_PROJECT_ID": cloud.project,
                          "LEAGUE_TOPIC_PREFIX": topology.prefix}),
        # Pub/Sub itself moves a command to dead letters after five failed deliveries.
        grant(cloud, on_topic(topology.dead_letter_topic), pubsub_agent, "roles/pubsub.publisher"),
        *(grant(cloud, on_subscription(topology.worker_subscription(service)), pubsub_agent,
                "roles/pubsub.subscriber") for service in SERVICES),
    ]  # fmt: skip


def ingest_function(cloud: Cloud) -> list[Step]:
    account = f"serviceAccount:{cloud.function_account}"
    accounts = ["gcloud", "iam", "service-accounts"]
    return [
        Step("the ingest function's service account",
             [*accounts, "create", FUNCTION, "--display-name=League App ingest", *cloud.gcloud],
             unless=[*accounts, "describe", cloud.function_account, *cloud.gcloud]),
        grant(cloud, on_bucket(cloud.bucket), account,
              "roles/storage.objectViewer"),
        grant(cloud, on_project(cloud), account, "roles/datastore.user"),
        grant(cloud, on_topic(cloud.topology.events_topic), account, "roles/pubsub.publisher"),
        grant(cloud, on_project(cloud), account,
              "roles/eventarc.eventReceiver"),
        # Eventarc's Cloud Storage trigger publishes through Pub/Sub as the bucket's agent.
        Step("Cloud Storage's service agent", ["gcloud", "storage", "service-agent",
             *cloud.gcloud], keep_as="storage_agent"),
        grant(cloud, on_project(cloud), "serviceAccount:${storage_agent}",
              "roles/pubsub.publisher"),
        Step("the function's source folder", ["league", "ingest", "bundle",
             "build/ingest-function"]),
        Step("the ingest function, triggered by the bucket's finalized objects",
             ["gcloud", "functions", "deploy", FUNCTION, "--gen2", "--runtime=python311",
              f"--region={cloud.region}", "--source=build/ingest-function",
              "--entry-point=load_season_file", f"--trigger-bucket={cloud.bucket}", "--retry",
              f"--service-account={cloud.function_account}",
              f"--trigger-service-account={cloud.function_account}",
              f"--set-env-vars=LEAGUE_PROJECT_ID={cloud.project},"
              f"LEAGUE_TOPIC_PREFIX={cloud.topology.prefix},LEAGUE_BUCKET={cloud.bucket}",
              *cloud.gcloud]),
        Step("Eventarc may invoke the function",
             ["gcloud", "functions", "add-invoker-policy-binding", FUNCTION,
              f"--region={cloud.region}", f"--member={account}", *cloud.gcloud]),
    ]  # fmt: skip


def images(cloud: Cloud) -> list[Step]:
    repositories = ["gcloud", "artifacts", "repositories"]
    steps = [
        Step("the Artifact Registry repository",
             [*repositories, "create", REPOSITORY, "--repository-format=docker",
              f"--location={cloud.region}", *cloud.gcloud],
             unless=[*repositories, "describe", REPOSITORY, f"--location={cloud.region}",
                     *cloud.gcloud]),
        Step("docker may push there", ["gcloud", "auth", "configure-docker",
             f"{cloud.region}-docker.pkg.dev", "--quiet"]),
        Step("the image tag: this commit", ["git", "rev-parse", "--short", "HEAD"],
             keep_as="tag"),
    ]  # fmt: skip
    for image in IMAGES:
        reference = f"{cloud.registry}/{image.name}:${{tag}}"
        steps += [
            Step(f"build {image.name}", ["docker", "build", f"--target={image.name}",
                 f"--tag={reference}", "."]),
            Step(f"push {image.name}", ["docker", "push", reference]),
            Step(f"the digest of {image.name}", ["gcloud", "artifacts", "docker", "images",
                 "describe", reference, "--format=value(image_summary.digest)", *cloud.gcloud],
                 keep_as=f"digest_{image.name}"),
        ]  # fmt: skip
    return steps


def cluster_and_mesh(cloud: Cloud) -> list[Step]:
    clusters = ["gcloud", "container", "clusters"]
    where = [f"--region={cloud.region}", *cloud.gcloud]
    mesh = ["gcloud", "container", "fleet", "mesh"]
    return [
        # Regional: one node in each of the region's three zones, for the topology spread.
        Step("the GKE cluster",
             [*clusters, "create", CLUSTER, *where, "--release-channel=regular",
              "--machine-type=e2-standard-2", "--num-nodes=1",
              f"--workload-pool={cloud.project}.svc.id.goog", "--enable-dataplane-v2",
              "--gateway-api=standard", "--enable-managed-prometheus",
              f"--fleet-project={cloud.project}"],
             unless=[*clusters, "describe", CLUSTER, *where]),
        Step("kubectl's credentials", [*clusters, "get-credentials", CLUSTER, *where]),
        Step("Cloud Service Mesh for the fleet", [*mesh, "enable", *cloud.gcloud]),
        Step("the managed mesh on the cluster",
             [*mesh, "update", "--management=automatic", f"--memberships={CLUSTER}",
              f"--location={cloud.region}", *cloud.gcloud]),
        Step("wait for the mesh's gateway class", ["kubectl", "wait",
             "--for=condition=Accepted", "gatewayclass/istio", "--timeout=20m"]),
        Step("the Custom Metrics Stackdriver Adapter", ["kubectl", "apply", "-f",
             METRICS_ADAPTER]),
    ]  # fmt: skip


def workload_identity(cloud: Cloud) -> list[Step]:
    """Each service's Kubernetes ServiceAccount gets exactly what its code does, no key anywhere."""
    topology = cloud.topology
    frontend = cloud.principal(NAMESPACE, "frontend")
    project_role = on_project(cloud)
    roles = ["gcloud", "iam", "roles"]
    steps = [
        *(grant(cloud, on_topic(topology.command_topic(s)), frontend, "roles/pubsub.publisher")
          for s in SERVICES),
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
    )


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
