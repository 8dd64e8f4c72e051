"""The load generator's Job (k8s/load): valid for a current Kubernetes, checkov-clean, and
running the very locustfile `make load` runs, against the gateway's in-cluster Service."""

from pathlib import Path

import kubernetes_validate
import yaml

from shipping.imports import PROJECT_ROOT
from tests.deploy.manifests import objects, rendered
from tests.deploy.test_manifests_validate import (
    KUBERNETES_VERSION,
    checkov_report,
    kubectl_kustomize,
)

LOAD = "load"


def test_every_object_of_the_load_job_is_valid_for_a_current_kubernetes() -> None:
    for resource in rendered(LOAD):
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_load_job_fails_no_checkov_check(tmp_path: Path) -> None:
    manifests = tmp_path / "load.yaml"
    manifests.write_text(kubectl_kustomize(LOAD))
    report = checkov_report(manifests)
    assert [c["check_id"] for c in report["results"]["failed_checks"]] == []
    assert report["summary"]["passed"] > 0


def test_the_job_runs_make_loads_locustfile_against_the_gateway() -> None:
    (job,) = objects(LOAD, "Job").values()
    (config_map,) = objects(LOAD, "ConfigMap").values()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    locustfile = PROJECT_ROOT / "k8s" / "load" / "locustfile.py"
    assert f"-f {locustfile.relative_to(PROJECT_ROOT)}" in makefile
    assert config_map["data"]["locustfile.py"] == locustfile.read_text()
    gateway = yaml.safe_load_all((PROJECT_ROOT / "istio" / "gateway.yaml").read_text())
    (listener,) = next(g for g in gateway if g["kind"] == "Gateway")["spec"]["listeners"]
    host = "--host=http://league-gateway-istio.league-ingress.svc.cluster.local"
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert host in container["args"] and listener["port"] == 80
