"""`league cloud up --dry-run` runs nothing, and its commands name every resource the manifests and
the settings expect: each image built and pushed where the overlay pulls it, each Kubernetes
ServiceAccount granted through Workload Identity, each subscription an autoscaler watches."""

import os
import re
import shlex
import subprocess
from collections.abc import Iterator

import pytest
import yaml
from typer.testing import CliRunner

from events.commands import SERVICES
from events.publishing_rights import publishing_rights
from events.settings import Settings
from events.topology import Topology
from firestore_layout import EXPIRES_AT, EXPIRING
from services.cli.main import app
from shipping.images import IMAGES
from tests.deploy.manifests import objects, settings_of

PROJECT, REGION = "league-test-project", "europe-west4"
GKE = "overlays/gke"
CAPTURE = re.compile(r'^(\w+)="\$\((.*)\)"$')


@pytest.fixture(scope="module")
def dry_run() -> str:
    return printed_dry_run()


def printed_dry_run() -> str:
    """What `league cloud up --dry-run` prints, with the settings of this process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess, "run", _refuse)
        result = CliRunner().invoke(
            app, ["cloud", "up", f"--project={PROJECT}", f"--region={REGION}", "--dry-run"]
        )
    assert result.exit_code == 0, result.output
    return result.output


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"a dry run ran {args}")


def commands(script: str) -> Iterator[list[str]]:
    """Each command of the printed script (checks and captures too), environment set aside."""
    lines = iter(script.replace("||\n", "\n").replace("&&\n", "\n").splitlines())
    for line in lines:
        line = CAPTURE.sub(r"\2", line.strip()).replace(" >/dev/null 2>&1", "")
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if words[-1] == "<<EOF":
            while next(lines) != "EOF":
                pass
        yield [word for word in words if not re.fullmatch(r"[A-Z_]+=.*", word)]


def written_overlay(script: str) -> dict:
    body = script.split("<<EOF\n", 1)[1].split("\nEOF", 1)[0]
    return yaml.safe_load(body)


def principal(namespace: str, service_account: str) -> str:
    return (
        "principal://iam.googleapis.com/projects/${project_number}/locations/global/"
        f"workloadIdentityPools/{PROJECT}.svc.id.goog/subject/ns/{namespace}/sa/{service_account}"
    )


def grants(script: str) -> set[tuple[str, str, str]]:
    """(resource, member, role) of every add-iam-policy-binding."""
    found = set()
    for command in commands(script):
        if "add-iam-policy-binding" in command:
            resource = command[command.index("add-iam-policy-binding") + 1]
            flags = dict(word.split("=", 1) for word in command if word.startswith("--"))
            found.add((resource, flags["--member"], flags["--role"]))
    return found


def ensured_publishing_rights(script: str) -> dict[str, frozenset[str]]:
    """Who may publish to each command topic, as `league topics ensure` grants it when run with
    the environment the script gives it."""
    (line,) = [line for line in script.splitlines() if line.endswith(" league topics ensure")]
    environment = dict(w.split("=", 1) for w in shlex.split(line) if re.fullmatch(r"[A-Z_]+=.*", w))
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("LEAGUE_")]:
            patch.delenv(name)  # only what the script hands the command counts
        for name, value in environment.items():
            patch.setenv(name, value)
        settings = Settings()
    assert settings.frontend_member is not None
    return publishing_rights(Topology.from_settings(settings), settings.frontend_member,
                             settings.partners)  # fmt: skip


def topology() -> Topology:
    return Topology.from_settings(settings_of(GKE, objects(GKE, "Deployment")["frontend"]))


def test_the_dry_run_prints_only_commands_of_the_readmes_tools(dry_run: str) -> None:
    tools = {command[0] for command in commands(dry_run)}
    assert tools == {"gcloud", "kubectl", "docker", "league", "git", "curl", "mkdir", "cat"}


def test_every_image_the_overlay_pulls_is_built_pushed_and_pinned_by_digest(dry_run: str) -> None:
    registry = f"{REGION}-docker.pkg.dev/{PROJECT}/league"
    printed = list(commands(dry_run))
    overlay = written_overlay(dry_run)
    assert overlay["resources"] == ["../../k8s/overlays/gke"]
    for image in IMAGES:
        reference = f"{registry}/{image.name}:${{tag}}"
        assert ["docker", "build", f"--target={image.name}", f"--tag={reference}", "."] in printed
        assert ["docker", "push", reference] in printed
        assert {"name": image.name, "newName": f"{registry}/{image.name}",
                "digest": f"${{digest_{image.name}}}"} in overlay["images"]  # fmt: skip
    assert ["kubectl", "apply", "-k", "build/gke"] in printed


def test_each_service_account_of_the_manifests_gets_its_grants(dry_run: str) -> None:
    members = {member for _, member, _ in grants(dry_run)}
    for account in objects(GKE, "ServiceAccount").values():
        namespace, name = account["metadata"]["namespace"], account["metadata"]["name"]
        assert principal(namespace, name) in members
    assert not any("key" in " ".join(command) for command in commands(dry_run))


@pytest.mark.parametrize("worker", SERVICES)
def test_a_worker_may_pull_exactly_the_subscription_its_autoscaler_watches(
    worker: str, dry_run: str
) -> None:
    (metric,) = objects(GKE, "HorizontalPodAutoscaler")[worker]["spec"]["metrics"]
    watched = metric["external"]["metric"]["selector"]["matchLabels"][
        "resource.labels.subscription_id"
    ]
    pulled = {
        r
        for r, m, role in grants(dry_run)
        if m == principal("league", worker) and role == "roles/pubsub.subscriber"
    }
    assert pulled == {watched}


def test_the_frontend_publishes_every_command_topic_and_reads_replies(dry_run: str) -> None:
    frontend = {(r, role) for r, m, role in grants(dry_run) if m == principal("league", "frontend")}
    rights = ensured_publishing_rights(dry_run)
    assert set(rights) == {topology().command_topic(s) for s in SERVICES}
    assert all(principal("league", "frontend") in members for members in rights.values())
    assert (topology().replies_topic, "roles/pubsub.subscriber") in frontend
    assert not any("datastore" in role for _, role in frontend)  # it never reads Firestore


def test_only_the_workers_that_write_may_write_firestore(dry_run: str) -> None:
    roles = {
        m.rsplit("/", 1)[1]: role
        for _, m, role in grants(dry_run)
        if "datastore" in role and "principal" in m
    }
    assert roles == {"stats": "roles/datastore.viewer", "playerops": "roles/datastore.user",
                     "transfer": "roles/datastore.user"}  # fmt: skip


def test_the_topics_are_ensured_with_the_manifests_prefix(dry_run: str) -> None:
    assert "LEAGUE_TOPIC_PREFIX=" + topology().prefix + " league topics ensure" in dry_run
    assert Settings(project_id=PROJECT).topic_prefix == topology().prefix


def test_the_smoke_test_goes_through_the_manifests_gateway(dry_run: str) -> None:
    (gateway,) = objects(GKE, "Gateway").values()
    where = [
        f"gateway/{gateway['metadata']['name']}",
        f"--namespace={gateway['metadata']['namespace']}",
    ]
    printed = list(commands(dry_run))
    assert any(
        command[:2] == ["kubectl", "wait"] and where[0] in command and where[1] in command
        for command in printed
    )
    assert any(command[0] == "curl" and "${gateway_address}" in command[-1] for command in printed)


def test_every_deployment_is_waited_for(dry_run: str) -> None:
    for name, deployment in objects(GKE, "Deployment").items():
        namespace = deployment["metadata"]["namespace"]
        assert f"kubectl rollout status deployment/{name} --namespace={namespace}" in dry_run


def test_every_collection_whose_documents_expire_gets_a_ttl_policy(dry_run: str) -> None:
    policies = {
        (command[5], command[6])
        for command in commands(dry_run)
        if command[:5] == ["gcloud", "firestore", "fields", "ttls", "update"]
        and "--enable-ttl" in command
    }
    assert policies == {(EXPIRES_AT, f"--collection-group={group}") for group in EXPIRING}
