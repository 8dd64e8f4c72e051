"""The components of the local stack: what each one is, where it listens, how it starts."""

import sys
from dataclasses import dataclass
from pathlib import Path

from events.commands import SERVICES
from events.settings import Address, Settings
from services.devstack import components
from services.devstack.settings import StackSettings


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


def league_command(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).parent / "league"), *arguments]


def components_of(stack: StackSettings, settings: Settings) -> list[Component]:
    pubsub = Address.parse(stack.pubsub_emulator_host)
    firestore = Address.parse(stack.firestore_emulator_host)
    storage = Address.parse(stack.storage_emulator_host)
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
        Component(
            "storage",
            "Cloud Storage emulator",
            storage,
            components.storage_emulator(storage, settings.bucket),
            storage.url,
        ),
        ingest_function(Address.parse(stack.function_address)),
        *(_worker(name, Address.parse(getattr(stack, f"{name}_address"))) for name in SERVICES),
        _service("frontend", "frontend", Address.parse(stack.frontend_address), ["frontend"]),
    ]


def ingest_function(address: Address) -> Component:
    source = Path(__file__).resolve().parents[2] / "ingest" / "main.py"
    command = [
        str(Path(sys.executable).parent / "functions-framework"),
        f"--source={source}", "--target=load_season_file", "--signature-type=cloudevent",
        f"--host={address.host}", f"--port={address.port}",
    ]  # fmt: skip
    # The function has no health route; any answer on its port (405 to a GET) means it serves.
    return Component("function", "ingest function", address, command, address.url, True)


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
