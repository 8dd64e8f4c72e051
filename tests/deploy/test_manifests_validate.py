"""Every overlay renders, and every object it applies is valid for the cluster it goes to: core
kinds against Kubernetes' own schemas, custom resources against their CRDs' schemas, and the
production overlay (with the mesh) through checkov's checks. No cluster needed."""

import json
import subprocess
from functools import cache
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from shipping.imports import PROJECT_ROOT
from tests.deploy.manifests import OVERLAYS, Object, rendered

KUBERNETES_VERSION = "1.35.0"  # GKE's regular channel at the time of writing
# CI clones the repository beside shared/ (see shared/schemas/README.md).
CRD_SCHEMAS = PROJECT_ROOT.parent / "shared" / "schemas" / "crds"
CHECKOV = PROJECT_ROOT / ".venv-checkov" / "bin" / "checkov"


def is_custom(resource: Object) -> bool:
    """Kubernetes' own API groups are the core one, single words (apps, policy) and *.k8s.io,
    save the Gateway API's, which a cluster gets as custom resource definitions."""
    group = resource["apiVersion"].rpartition("/")[0]
    return ("." in group and not group.endswith(".k8s.io")) or group.startswith("gateway.")


@cache
def crd_schema(api_version: str, kind: str) -> dict:
    group, _, version = api_version.rpartition("/")
    path = CRD_SCHEMAS / group / f"{kind.lower()}_{version}.json"
    return json.loads(path.read_text())


def name_of(resource: Object) -> str:
    return f"{resource['kind']}/{resource['metadata']['name']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_core_object_is_valid_for_a_current_kubernetes(overlay: str) -> None:
    core = [resource for resource in rendered(overlay) if not is_custom(resource)]
    assert core
    for resource in core:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_custom_resource_is_valid_against_its_crd(overlay: str) -> None:
    for resource in filter(is_custom, rendered(overlay)):
        schema = crd_schema(resource["apiVersion"], resource["kind"])
        jsonschema.validate(resource, schema)


def test_the_crd_schemas_are_there_and_reject_a_wrong_field() -> None:
    assert CRD_SCHEMAS.is_dir(), f"expected the shared schemas at {CRD_SCHEMAS}"
    route = next(r for r in rendered("overlays/gke") if r["kind"] == "HTTPRoute")
    broken = {**route, "spec": {**route["spec"], "rules": "not a list"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, crd_schema(route["apiVersion"], route["kind"]))


def test_the_production_overlay_with_the_mesh_fails_no_checkov_check(tmp_path: Path) -> None:
    assert CHECKOV.exists(), "checkov is installed by `make test` (.venv-checkov)"
    manifests = tmp_path / "gke.yaml"
    manifests.write_text(kubectl_kustomize("overlays/gke"))
    report = checkov_report(manifests)
    failed = [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 0 and report["summary"]["parsing_errors"] == 0
    for skipped in report["results"]["skipped_checks"]:
        assert len(skipped["check_result"]["suppress_comment"]) > 20, "every skip says why"


def kubectl_kustomize(overlay: str) -> str:
    return subprocess.run(
        ["kubectl", "kustomize", str(PROJECT_ROOT / "k8s" / overlay)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def checkov_report(manifests: Path) -> dict:
    """checkov's JSON report on a file of rendered manifests."""
    found = subprocess.run(
        [str(CHECKOV), "--file", str(manifests), "--framework", "kubernetes", "--output", "json",
         "--skip-download"],
        capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(found.stdout)
