"""What the images promise and the manifests rely on: the command, the user, the port, the probe
and metrics paths, all equal to the code's own (the images cannot be built here)."""

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry

from events.settings import Address
from services.devstack.components import free_port
from services.frontend.bootstrap import bootstrap
from services.workers.health import HealthServer
from shipping.images import IMAGES, Image, project
from tests.deploy.manifests import (
    OVERLAYS,
    container,
    dockerfile_stage,
    http_port,
    objects,
    settings_of,
)
from tests.unit.frontend.fakes import FakeRequester

BY_NAME = pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


def deployment(image: Image, overlay: str = "base") -> dict:
    return objects(overlay, "Deployment")[image.name]


def served_paths(image: Image, paths: set[str]) -> dict[str, int]:
    """The status each path answers with, from the real HTTP side of the image's service."""
    if image.name == "frontend":
        with TestClient(bootstrap(requester=FakeRequester())) as client:
            return {path: client.get(path).status_code for path in paths}
    address = free_port()
    server = HealthServer(str(address), CollectorRegistry(), checks={})
    server.start()
    try:
        return {path: httpx.get(f"{address.url}{path}").status_code for path in paths}
    finally:
        server.stop()


@BY_NAME
def test_an_image_runs_its_console_script_as_a_user_of_no_account(image: Image) -> None:
    stage = dockerfile_stage(image.name)
    assert stage.cmd == [image.script]
    assert image.script in project()["scripts"]
    uid, _, gid = stage.user.partition(":")
    assert int(uid) >= 10000 and int(gid) >= 10000


@BY_NAME
def test_the_pod_runs_the_image_command_as_the_image_user(image: Image) -> None:
    pod = deployment(image)["spec"]["template"]["spec"]
    assert container(deployment(image))["image"] == image.name
    assert not {"command", "args"} & container(deployment(image)).keys()
    uid, _, gid = dockerfile_stage(image.name).user.partition(":")
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == (
        int(uid),
        int(gid),
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
@BY_NAME
def test_the_exposed_and_declared_ports_are_the_settings_port(image: Image, overlay: str) -> None:
    port = http_port(settings_of(overlay, deployment(image, overlay)))
    assert dockerfile_stage(image.name).expose == [port]
    declared = {
        p["name"]: p["containerPort"] for p in container(deployment(image, overlay))["ports"]
    }
    assert declared == {"http": port}
    assert (
        Address.parse(settings_of(overlay, deployment(image, overlay)).http_address).host
        == "0.0.0.0"
    )


@BY_NAME
def test_every_probe_asks_a_path_the_service_answers_on_its_port(image: Image) -> None:
    probes = [container(deployment(image))[probe]["httpGet"] for probe in PROBES]
    assert {probe["port"] for probe in probes} == {"http"}
    answers = served_paths(image, {probe["path"] for probe in probes})
    assert set(answers.values()) == {200}, answers


@BY_NAME
def test_prometheus_reads_the_metrics_the_service_serves_on_its_port(image: Image) -> None:
    annotations = deployment(image)["spec"]["template"]["metadata"]["annotations"]
    assert int(annotations["prometheus.io/port"]) == http_port(
        settings_of("base", deployment(image))
    )
    (endpoint,) = objects("base", "PodMonitoring")[image.name]["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"]) == ("http", annotations["prometheus.io/path"])
    assert served_paths(image, {endpoint["path"]}) == {endpoint["path"]: 200}


@BY_NAME
def test_in_the_mesh_managed_prometheus_reads_istios_merged_metrics(image: Image) -> None:
    """Its collectors are outside the mesh; Istio merges the annotated /metrics into 15020."""
    (endpoint,) = objects("overlays/gke", "PodMonitoring")[image.name]["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"]) == (15020, "/stats/prometheus")
    pod = deployment(image, "overlays/gke")["spec"]["template"]["metadata"]["annotations"]
    assert pod["prometheus.io/scrape"] == "true"


@BY_NAME
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_pod_is_given_longer_to_stop_than_the_service_takes(image: Image, overlay: str) -> None:
    pod = deployment(image, overlay)["spec"]["template"]["spec"]
    settings = settings_of(overlay, deployment(image, overlay))
    # The frontend lets requests finish for their deadline and 5 s (services/frontend/server.py);
    # a worker waits for its commands in flight for its shutdown grace, then exits anyway.
    takes = (
        settings.request_timeout_seconds + 5
        if image.name == "frontend"
        else settings.shutdown_grace_seconds
    )
    assert pod["terminationGracePeriodSeconds"] > takes
