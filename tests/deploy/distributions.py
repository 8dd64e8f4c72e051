"""Which installed distributions a set of imports comes from, and what a requirement brings."""

import importlib.metadata as metadata
import importlib.util
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@cache
def _owners() -> dict[Path, str]:
    owners = {}
    for distribution in metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        for file in distribution.files or ():
            owners[Path(str(distribution.locate_file(file))).resolve()] = name
    return owners


def distributions_of(modules: set[str]) -> set[str]:
    """The distributions that installed `modules`; a namespace package (google.cloud) has none."""
    found = (_distribution_of(module) for module in modules)
    return {name for name in found if name is not None}


def _distribution_of(module: str) -> str | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:end]))
        except ModuleNotFoundError:  # a name imported from a module, not a module itself
            continue
        if spec is None:
            continue
        if spec.origin in (None, "namespace"):
            return None
        return _owners()[Path(spec.origin).resolve()]
    raise LookupError(f"{module} is not installed")


def with_dependencies(requirements: list[str]) -> set[str]:
    """The requirements' distributions and everything they depend on, as pip would install."""
    found: set[str] = set()
    waiting = [Requirement(line) for line in requirements]
    while waiting:
        requirement = waiting.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        for line in metadata.requires(name) or ():
            dependency = Requirement(line)
            if dependency.marker is None or dependency.marker.evaluate({"extra": ""}):
                waiting.append(dependency)
    return found
