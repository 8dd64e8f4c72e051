"""The Docker build context (.dockerignore) holds what the Dockerfile stages and nothing the images
must not carry: no tests, no ingest code, no command line, no local stack."""

from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import pytest

from shipping.images import IMAGES, Image, closure
from shipping.imports import PROJECT_ROOT


def patterns() -> list[str]:
    lines = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def in_context(path: str) -> bool:
    """Docker's rule: the last pattern that matches the path, or a folder above it, decides."""
    inside = True
    folders = [str(parent) for parent in PurePosixPath(path).parents if str(parent) != "."]
    for pattern in patterns():
        wanted = pattern.startswith("!")
        bare = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch(candidate, bare) for candidate in [path, *folders]):
            inside = wanted
    return inside


def relative(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_the_context_holds_every_file_an_image_stages(image: Image) -> None:
    staged = [relative(path) for path in closure(image).files()]
    data = [relative(p) for folder in image.data for p in (PROJECT_ROOT / folder).rglob("*")]
    needed = [*staged, *data, image.requirements, "pyproject.toml"]
    needed += [relative(path) for path in (PROJECT_ROOT / "shipping").glob("*.py")]
    assert [path for path in needed if not in_context(path)] == []


def test_the_context_leaves_out_tests_ingest_the_cli_and_the_local_stack() -> None:
    for path in ("tests/conftest.py", "ingest/loader.py", "services/cli/main.py",
                 "services/devstack/stack.py", "k8s/base/kustomization.yaml", ".venv/bin/python",
                 "services/stats/__pycache__/handlers.cpython-311.pyc"):  # fmt: skip
        assert not in_context(path), path
