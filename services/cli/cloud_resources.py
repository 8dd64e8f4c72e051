"""What the app needs in the project, each made once: APIs, data, function, images, cluster."""

from events.commands import SERVICES
from firestore_layout import EXPIRES_AT, EXPIRING
from services.cli.cloud_steps import (
    APIS,
    CLUSTER,
    FUNCTION,
    METRICS_ADAPTER,
    NAMESPACE,
    REPOSITORY,
    Cloud,
    Step,
    grant,
    on_bucket,
    on_project,
    on_subscription,
    on_topic,
)
from shipping.images import IMAGES


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
        # Command records and published events carry an expiry; Firestore deletes them after it
        # (typically within a day). Setting the same policy again changes nothing.
        *(Step(f"{group} expire: a TTL policy on {EXPIRES_AT}",
               ["gcloud", "firestore", "fields", "ttls", "update", EXPIRES_AT,
                f"--collection-group={group}", "--enable-ttl", "--async", *cloud.gcloud])
          for group in EXPIRING),
        Step("the season bucket",
             ["gcloud", "storage", "buckets", "create", bucket, f"--location={cloud.region}",
              "--uniform-bucket-level-access", "--public-access-prevention", *cloud.gcloud],
             unless=["gcloud", "storage", "buckets", "describe", bucket, *cloud.gcloud]),
        # Only the frontend and the partners may publish commands (events/publishing_rights.py).
        Step("topics and subscriptions, and who may publish commands",
             ["league", "topics", "ensure"],
             environment={"LEAGUE_FRONTEND_MEMBER": cloud.principal(NAMESPACE, "frontend"),
                          "LEAGUE_PARTNERS": cloud.partners_setting,
                          "LEAGUE_PROJECT_ID": cloud.project,
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
