"""The components of the local stack: what each one is, where it listens, how it starts."""

import sys
from dataclasses import dataclass
from pathlib import Path

from events.settings import Settings
from services.devstack import components
from services.devstack.components import Address
from services.devstack.settings import StackSettings


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    address: Address
    command: list[str]
    # Answers once the component is up; None where the port answering is all there is to know.
    ready_url: str
    # Services need the emulators up and the topics provisioned before they start.
    needs_bus: bool = False


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
            components.storage_emulator(storage, stack.bucket),
            storage.url,
        ),
    ]


def component_named(name: str, stack: StackSettings, settings: Settings) -> Component:
    for component in components_of(stack, settings):
        if component.name == name:
            return component
    known = ", ".join(c.name for c in components_of(stack, settings))
    raise KeyError(f"no component {name!r}; the stack has {known}")
