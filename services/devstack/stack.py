"""The components of the local stack: what each one is, where it listens, how it starts."""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from events.commands import SERVICES
from events.settings import Address, Settings
from events.topology import Topology
from ingest.model import SEASON_OBJECTS_PREFIX
from services.devstack import components, prometheus
from services.devstack.cloud_cli import storage_state_dir
from services.devstack.settings import StackSettings
from services.frontend.auth_settings import JWKS_PATH


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    address: Address
    command: list[str]
    # Answers once the component is up: 200 from a service's /readyz; any answer from the rest.
    ready_url: str
    # Our services need the emulators up and the topics provisioned before they start.
    needs_bus: bool = False
    ready_needs_ok: bool = False
    # More ports it binds, besides `address`.
    also_listens: tuple[Address, ...] = ()
    # Folders it needs before it starts.
    folders: tuple[Path, ...] = ()
    # The ingest function: where the uploads topic's push subscription delivers notifications.
    uploads_push_endpoint: str | None = None
    # Files it needs written before it starts (Prometheus's configuration).
    prepare: Callable[[], object] | None = None
    # Why it cannot run here, when it cannot: the stack then runs without it and says so.
    missing: str | None = None

    @property
    def addresses(self) -> tuple[Address, ...]:
        return (self.address, *self.also_listens)


def league_command(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).parent / "league"), *arguments]


def components_of(stack: StackSettings, settings: Settings) -> list[Component]:
    pubsub = Address.parse(stack.pubsub_emulator_host)
    firestore = Address.parse(stack.firestore_emulator_host)
    topology = Topology.from_settings(settings)
    return [
        Component(
            "pubsub",
            "Pub/Sub emulator",
            pubsub,
            components.pubsub_emulator(pubsub, settings.project_id),
            pubsub.url,
        ),
        Component(
            "firestore",
            "Firestore emulator",
            firestore,
            components.firestore_emulator(firestore),
            firestore.url,
        ),
        _storage(stack, settings, topology),
        _token_issuer(stack),
        ingest_function(Address.parse(stack.function_address), topology),
        *(_worker(name, Address.parse(getattr(stack, f"{name}_address"))) for name in SERVICES),
        _service("frontend", "frontend", Address.parse(stack.frontend_address), ["frontend"]),
        _prometheus(stack),
    ]


def _storage(stack: StackSettings, settings: Settings, topology: Topology) -> Component:
    http, https = stack.storage_http, stack.storage_https
    buckets = storage_state_dir(stack) / "buckets"
    notifications = topology.topic_path(topology.uploads_topic)
    command = components.storage_emulator(
        http, https, buckets, notifications, SEASON_OBJECTS_PREFIX
    )
    return Component(
        "storage",
        "Cloud Storage emulator",
        http,
        command,
        http.url,
        needs_bus=True,  # its notifications go to the uploads topic, which must exist first
        also_listens=(https,),
        folders=(buckets / settings.bucket,),
    )


def _token_issuer(stack: StackSettings) -> Component:
    address, key_file = stack.issuer, stack.issuer_key_file
    command = [sys.executable, "-m", "services.devstack.token_issuer", str(address), str(key_file)]
    ready_url = f"{address.url}{JWKS_PATH}"
    return Component(
        "issuer", "token issuer (JWKS)", address, command, ready_url, ready_needs_ok=True
    )


def ingest_function(address: Address, topology: Topology) -> Component:
    source = Path(__file__).resolve().parents[2] / "ingest" / "main.py"
    command = [
        str(Path(sys.executable).parent / "functions-framework"),
        f"--source={source}", "--target=load_season_file", "--signature-type=cloudevent",
        f"--host={address.host}", f"--port={address.port}",
    ]  # fmt: skip
    # functions-framework turns a push to this path into a messagePublished CloudEvent whose
    # source names the topic, as Eventarc's Pub/Sub trigger does in production.
    push_endpoint = f"{address.url}/{topology.topic_path(topology.uploads_topic)}"
    # The function has no health route; any answer on its port (405 to a GET) means it serves.
    return Component(
        "function",
        "ingest function",
        address,
        command,
        address.url,
        needs_bus=True,
        uploads_push_endpoint=push_endpoint,
    )


def _prometheus(stack: StackSettings) -> Component:
    address = Address.parse(stack.prometheus_address)
    command = prometheus.prometheus_command(stack)
    return Component(
        "prometheus", "Prometheus", address, command or [], f"{address.url}/-/ready",
        ready_needs_ok=True, prepare=partial(prometheus.write_config, stack),
        missing=prometheus.INSTALL_HINT if command is None else None,
    )  # fmt: skip


def _worker(name: str, address: Address) -> Component:
    return _service(name, f"{name} worker", address, ["worker", name])


def _service(name: str, label: str, address: Address, arguments: list[str]) -> Component:
    return Component(
        name, label, address, league_command(*arguments), f"{address.url}/readyz", True
    )


def component_named(name: str, stack: StackSettings, settings: Settings) -> Component:
    for component in components_of(stack, settings):
        if component.name == name:
            return component
    known = ", ".join(c.name for c in components_of(stack, settings))
    raise KeyError(f"no component {name!r}; the stack has {known}")
