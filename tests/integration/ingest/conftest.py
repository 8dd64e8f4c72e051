"""Uploads as the local stack makes them: the storage emulator and the ingest function, started
with `league dev start` for each test on a topic prefix of the test's own, so the bucket's
notifications reach this test's function and nothing else (or once for a module whose tests
only upload and read reports)."""

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import google.cloud.storage as storage
import httpx
import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from google.cloud import firestore, pubsub_v1

from bench.processes import status_kib
from events.settings import Settings
from events.topology import Topology
from firestore_layout import INGEST_REPORTS, report_id
from ingest.delivery import FINALIZED
from services.devstack import components
from services.devstack.session import descendants
from services.devstack.stack import league_command
from tests.conftest import PROJECT_ID, Emulators
from tests.support.processes import running

BUCKET = "league-test-seasons"
REPORT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Uploads:
    """A bucket whose season files reach a running ingest function."""

    bucket: storage.Bucket
    function_url: str
    environment: dict[str, str]
    function: subprocess.Popen[bytes]  # `league dev start function`: the function runs below it


@pytest.fixture
def uploads(
    emulators: Emulators, settings: Settings, topology: Topology, tmp_path: Path
) -> Iterator[Uploads]:
    """A storage emulator and a function of this test's own, on the test's topics."""
    with _started_uploads(emulators, settings.topic_prefix, tmp_path) as started:
        yield started


@pytest.fixture(scope="module")
def module_uploads(
    emulators: Emulators, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Uploads]:
    """One storage emulator and function for a module's tests, which upload to seasons of their
    own and neither stop nor read the notifications."""
    prefix, folder = f"t{uuid.uuid4().hex[:10]}", tmp_path_factory.mktemp("uploads")
    with _started_uploads(emulators, prefix, folder) as started:
        yield started


@pytest.fixture
def console_traced_uploads(
    emulators: Emulators, settings: Settings, topology: Topology, tmp_path: Path
) -> Iterator[Uploads]:
    """As `uploads`, with a function that prints its spans (LEAGUE_TRACE_EXPORTER=console) into
    `function.log` of the test's folder."""
    traced = {"LEAGUE_TRACE_EXPORTER": "console"}
    with _started_uploads(emulators, settings.topic_prefix, tmp_path, traced) as started:
        yield started


@contextmanager
def _started_uploads(
    emulators: Emulators, topic_prefix: str, folder: Path, extra: dict[str, str] | None = None
) -> Iterator[Uploads]:
    storage_address, function_address = components.free_port(), components.free_port()
    environment = {
        **(extra or {}),
        **emulators.environment(),
        "LEAGUE_TOPIC_PREFIX": topic_prefix,
        "LEAGUE_BUCKET": BUCKET,
        "STORAGE_EMULATOR_HOST": storage_address.url,
        "LEAGUE_STORAGE_HTTPS_ADDRESS": str(components.free_port()),
        "LEAGUE_FUNCTION_ADDRESS": str(function_address),
        "LEAGUE_DEV_STATE_DIR": str(folder / "state"),
    }
    with ExitStack() as started, pytest.MonkeyPatch.context() as patch:
        processes = {
            name: started.enter_context(
                running(league_command("dev", "start", name), folder / f"{name}.log", environment)
            )
            for name in ("storage", "function")
        }
        # The function's start subscribes it to the uploads topic before it serves.
        components.wait_until_answering(storage_address.url, timeout=30)
        components.wait_until_answering(function_address.url, timeout=30)
        patch.setenv("STORAGE_EMULATOR_HOST", storage_address.url)
        bucket = storage.Client(project=PROJECT_ID).bucket(BUCKET)
        yield Uploads(bucket, f"{function_address.url}/", environment, processes["function"])


@pytest.fixture
def season() -> str:
    return f"s{uuid.uuid4().hex[:8]}"


@pytest.fixture
def events_subscription(
    topology: Topology, subscriber: pubsub_v1.SubscriberClient
) -> Iterator[str]:
    path = topology.subscription_path(f"{topology.prefix}-ingest-test")
    subscriber.create_subscription(name=path, topic=topology.topic_path(topology.events_topic))
    yield path
    subscriber.delete_subscription(subscription=path)


def put(
    bucket: storage.Bucket, name: str, content: str | bytes, content_encoding: str | None = None
) -> storage.Blob:
    blob = bucket.blob(name)
    blob.content_encoding = content_encoding
    data = content.encode() if isinstance(content, str) else content
    blob.upload_from_string(data, content_type="text/csv")
    return blob


def report_of(client: firestore.Client, blob: storage.Blob) -> dict:
    """The function's report on that generation of the object, once it has written one."""
    assert blob.bucket is not None and blob.generation is not None
    document = client.collection(INGEST_REPORTS).document(
        report_id(blob.bucket.name, blob.name, blob.generation)
    )
    give_up = time.monotonic() + REPORT_TIMEOUT_SECONDS
    while not (snapshot := document.get()).exists:
        assert time.monotonic() < give_up, f"no report on {blob.name} in {REPORT_TIMEOUT_SECONDS} s"
        time.sleep(0.1)
    return snapshot.to_dict() or {}


def deliver_as_eventarc(
    function_url: str, blob: storage.Blob, extensions: dict[str, str] | None = None
) -> httpx.Response:
    """Posts the finalized CloudEvent Eventarc sends a `--trigger-bucket` function (binary mode),
    with `extensions` (Eventarc's `traceparent`, say); the function has handled it when the
    answer comes."""
    assert blob.bucket is not None
    data = {"bucket": blob.bucket.name, "name": blob.name, "generation": str(blob.generation)}
    attributes = {
        "id": f"{blob.bucket.name}/{blob.name}/{blob.generation}",
        "type": FINALIZED,
        "source": f"//storage.googleapis.com/projects/_/buckets/{blob.bucket.name}",
        "subject": f"objects/{blob.name}",
        **(extensions or {}),
    }
    headers, body = to_binary(CloudEvent(attributes, data))
    return httpx.post(function_url, headers=headers, content=body, timeout=60)


def stop_notifications(topology: Topology, subscriber: pubsub_v1.SubscriberClient) -> None:
    """Leaves the function only the deliveries a test makes itself."""
    subscription = topology.subscription_path(topology.uploads_push_subscription)
    subscriber.delete_subscription(subscription=subscription)


def season_documents(client: firestore.Client, season: str) -> dict[str, dict]:
    """Every document of the season, by path: the season's own and its collections'."""
    root = client.document(f"seasons/{season}")
    snapshot = root.get()
    found = {root.path: snapshot.to_dict() or {}} if snapshot.exists else {}
    for collection in root.collections():
        found.update({doc.reference.path: doc.to_dict() or {} for doc in collection.stream()})
    return found


def memory_now_mib(uploads: Uploads) -> float:
    """What the function holds (VmRSS of its biggest process), after starting its peak over."""
    pids = descendants(uploads.function.pid)
    for pid in pids:
        # Linux resets a process's peak resident memory (VmHWM) to its current one on "5".
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return max(status_kib(pid, "VmRSS") for pid in pids) / 1024


def peak_memory_mib(uploads: Uploads) -> float:
    """The function's peak resident memory (VmHWM of its biggest process) since it was started,
    or started over: functions-framework's gunicorn master, and the worker that loads files."""
    return max(status_kib(pid, "VmHWM") for pid in descendants(uploads.function.pid)) / 1024
