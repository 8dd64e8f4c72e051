"""The manifests name what the code names: services, accounts, subscriptions, the Google APIs the
images call. And every selector selects something."""

from urllib.parse import urlsplit

import pytest
from google.cloud.firestore_v1.services.firestore import FirestoreClient
from google.cloud.storage._http import Connection as StorageConnection
from google.pubsub_v1.services.publisher import PublisherClient

from events.commands import SERVICES
from events.topology import Topology
from shipping.images import IMAGES, requirements
from shipping.imports import PROJECT_ROOT
from tests.deploy.manifests import OVERLAYS, Object, objects, rendered, settings_of

GKE = "overlays/gke"
BACKLOG_METRIC = "pubsub.googleapis.com|subscription|num_undelivered_messages"
# Where each Google client library sends its calls, as the library itself says.
API_HOSTS = {
    "google-cloud-pubsub": PublisherClient.DEFAULT_ENDPOINT,
    "google-cloud-firestore": FirestoreClient.DEFAULT_ENDPOINT,
    "google-cloud-storage": urlsplit(StorageConnection.DEFAULT_API_ENDPOINT).hostname,
}


def pod_labels(overlay: str) -> list[dict[str, str]]:
    return [
        d["spec"]["template"]["metadata"]["labels"] for d in objects(overlay, "Deployment").values()
    ]


def selects_a_pod(selector: dict, overlay: str) -> bool:
    wanted = selector.get("matchLabels", {})
    return any(wanted.items() <= labels.items() for labels in pod_labels(overlay))


def test_each_service_has_a_deployment_and_a_service_account_of_its_own_name() -> None:
    names = {image.name for image in IMAGES}
    deployments = objects("base", "Deployment")
    assert set(deployments) == names == set(objects("base", "ServiceAccount"))
    for name, deployment in deployments.items():
        assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == name


def test_only_what_something_calls_has_a_service() -> None:
    rules = objects(GKE, "HTTPRoute")["frontend"]["spec"]["rules"]
    called = {ref["name"] for rule in rules for ref in rule["backendRefs"]}
    assert set(objects(GKE, "Service")) == called


@pytest.mark.parametrize("worker", SERVICES)
def test_a_worker_scales_on_the_backlog_of_its_own_subscription(worker: str) -> None:
    (metric,) = objects(GKE, "HorizontalPodAutoscaler")[worker]["spec"]["metrics"]
    settings = settings_of(GKE, objects(GKE, "Deployment")[worker])
    subscription = Topology.from_settings(settings).worker_subscription(worker)
    assert metric["external"]["metric"]["name"] == BACKLOG_METRIC
    selector = metric["external"]["metric"]["selector"]["matchLabels"]
    assert selector == {"resource.labels.subscription_id": subscription}


def test_the_frontend_scales_on_cpu() -> None:
    (metric,) = objects(GKE, "HorizontalPodAutoscaler")["frontend"]["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"


@pytest.mark.parametrize("kind", ["PodDisruptionBudget", "HorizontalPodAutoscaler"])
def test_every_deployment_has_its_disruption_budget_and_autoscaler(kind: str) -> None:
    assert set(objects(GKE, kind)) == set(objects(GKE, "Deployment"))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_selector_selects_a_pod(overlay: str) -> None:
    selectors: list[tuple[Object, dict]] = []
    for kind in ("PodDisruptionBudget", "PodMonitoring", "NetworkPolicy", "AuthorizationPolicy"):
        for resource in objects(overlay, kind).values():
            spec = resource["spec"]
            selectors.append((resource, spec.get("selector") or spec.get("podSelector") or {}))
    for service in objects(overlay, "Service").values():
        selectors.append((service, {"matchLabels": service["spec"]["selector"]}))
    for resource, selector in selectors:
        assert selects_a_pod(selector, overlay), resource["metadata"]["name"]


def test_the_mesh_lets_out_exactly_the_google_apis_the_images_call() -> None:
    libraries = {
        line.split("==")[0]
        for image in IMAGES
        for line in requirements(PROJECT_ROOT / image.requirements)
    }
    called = {host for library, host in API_HOSTS.items() if library in libraries}
    entry = objects(GKE, "ServiceEntry")["google-apis"]
    assert set(entry["spec"]["hosts"]) == called


def test_no_key_file_or_key_secret_anywhere() -> None:
    for overlay in OVERLAYS:
        assert not objects(overlay, "Secret")
        for resource in rendered(overlay):
            assert "GOOGLE_APPLICATION_CREDENTIALS" not in str(resource)
