"""The cluster and image files as the tests read them: rendered overlays, the Dockerfile's stages,
and the settings a container starts with."""

import json
import os
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from events.settings import Address, Settings
from shipping.imports import PROJECT_ROOT

OVERLAYS = ("base", "overlays/gke", "overlays/local")
Object = dict[str, Any]


@cache
def rendered(overlay: str) -> tuple[Object, ...]:
    """`kubectl kustomize k8s/<overlay>`: every object the overlay applies."""
    output = subprocess.run(
        ["kubectl", "kustomize", str(PROJECT_ROOT / "k8s" / overlay)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return tuple(doc for doc in yaml.safe_load_all(output) if doc)


def objects(overlay: str, kind: str) -> dict[str, Object]:
    return {o["metadata"]["name"]: o for o in rendered(overlay) if o["kind"] == kind}


def container(deployment: Object) -> Object:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def container_environment(overlay: str, deployment: Object) -> dict[str, str]:
    """What the container's process sees: the image's ENV, then the ConfigMaps, then `env`."""
    environment = dict(dockerfile_stage(deployment["metadata"]["name"]).env)
    config_maps = objects(overlay, "ConfigMap")
    for source in container(deployment).get("envFrom", []):
        environment |= config_maps[source["configMapRef"]["name"]]["data"]
    environment |= {v["name"]: v["value"] for v in container(deployment).get("env", [])}
    return environment


def settings_of(overlay: str, deployment: Object) -> Settings:
    with mock.patch.dict(os.environ, container_environment(overlay, deployment), clear=True):
        return Settings()


def http_port(settings: Settings) -> int:
    return Address.parse(settings.http_address).port


@dataclass
class Stage:
    name: str
    parent: str
    env: dict[str, str] = field(default_factory=dict)
    expose: list[int] = field(default_factory=list)
    user: str = ""
    cmd: list[str] = field(default_factory=list)


def dockerfile_instructions(path: Path = PROJECT_ROOT / "Dockerfile") -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical = ""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        logical += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            keyword, _, arguments = logical.strip().partition(" ")
            yield keyword.upper(), arguments.strip()
            logical = ""


@cache
def dockerfile_stages() -> dict[str, Stage]:
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            words = arguments.split()
            current = Stage(name=words[-1], parent=words[0])
            stages[current.name] = current
        elif current is None:
            continue
        elif keyword == "ENV":
            current.env |= dict(pair.split("=", 1) for pair in shlex.split(arguments))
        elif keyword == "EXPOSE":
            current.expose += [int(port.split("/")[0]) for port in arguments.split()]
        elif keyword == "USER":
            current.user = arguments
        elif keyword == "CMD":
            current.cmd = json.loads(arguments)
    return stages


def dockerfile_stage(name: str) -> Stage:
    """A stage with what it inherits from the stages it is built on."""
    stages = dockerfile_stages()
    own = stages[name]
    if own.parent not in stages:
        return own
    parent = dockerfile_stage(own.parent)
    return Stage(
        name=name,
        parent=own.parent,
        env=parent.env | own.env,
        expose=own.expose or parent.expose,
        user=own.user or parent.user,
        cmd=own.cmd or parent.cmd,
    )
