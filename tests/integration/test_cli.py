"""The `league` CLI's bus commands, run as a user runs them, against the emulator."""

import os
import subprocess

import pytest

from services.devstack.stack import league_command
from tests.support.bus import running_worker

pytestmark = pytest.mark.emulators


def league(settings, *arguments: str, **more: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "LEAGUE_TOPIC_PREFIX": settings.topic_prefix, **more}
    return subprocess.run(
        league_command(*arguments), env=environment, capture_output=True, text=True, timeout=60
    )


def test_topics_ensure_creates_the_topology_once_and_then_reports_it_complete(settings, publisher):
    first = league(settings, "topics", "ensure")
    second = league(settings, "topics", "ensure")

    assert first.returncode == 0, first.stderr
    assert f"created {settings.topic_prefix}-dead-letter-kept" in first.stdout
    assert second.returncode == 0 and "created" not in second.stdout
    project = f"projects/{settings.project_id}"
    topics = {t.name.rsplit("/", 1)[1] for t in publisher.list_topics(project=project)}
    assert f"{settings.topic_prefix}-transfer-commands" in topics


def test_topics_ensure_on_the_emulator_says_it_sets_no_publishing_rights(settings):
    frontend = "serviceAccount:frontend@league-local.iam.gserviceaccount.com"
    answered = league(settings, "topics", "ensure", LEAGUE_FRONTEND_MEMBER=frontend)

    assert answered.returncode == 0, answered.stderr
    said = answered.stdout.splitlines()
    assert "publishing rights: not set, the Pub/Sub emulator has no IAM" in said


def test_ping_names_the_instance_that_answered(settings, topology, subscriber):
    with running_worker("playerops", {}, topology, subscriber) as worker:
        answered = league(settings, "ping", "playerops")

    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.strip() == f"playerops: answered by instance {worker.instance}"


def test_ping_without_a_worker_fails_with_the_timeout(settings, topology):
    answered = league(settings, "ping", "stats", "--timeout", "1")

    assert answered.returncode == 1
    assert "no reply to Ping within 1 s" in answered.stderr
