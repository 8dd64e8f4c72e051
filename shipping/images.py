"""The container images, one per deployable service, and the one way to assemble what each holds.

An image's command is its console script (pyproject's [project.scripts]); the script's module
is where the import closure starts. A staged image is a small project of its own: the modules
that closure reaches, the data files read at run time, and a pyproject.toml whose dependencies
are the image's requirements file and whose only script is the image's command.
"""

import json
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from shipping.imports import PROJECT_ROOT, Closure, follow


@dataclass(frozen=True)
class Image:
    name: str  # the service, the Dockerfile target and the Kubernetes Deployment
    script: str  # the console script the image runs
    requirements: str  # the pinned third-party packages it installs
    data: tuple[str, ...] = ()  # folders the code reads at run time rather than imports


WORKER_REQUIREMENTS = "services/workers/requirements.txt"
IMAGES = (
    Image(
        "frontend",
        "league-frontend",
        "services/frontend/requirements.txt",
        data=("services/frontend/templates", "services/frontend/static"),
    ),
    Image("stats", "league-stats", WORKER_REQUIREMENTS),
    Image("playerops", "league-playerops", WORKER_REQUIREMENTS),
    Image("transfer", "league-transfer", WORKER_REQUIREMENTS),
)


def image_named(name: str) -> Image:
    return next(image for image in IMAGES if image.name == name)


def project(root: Path = PROJECT_ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def entry_point(image: Image, root: Path = PROJECT_ROOT) -> str:
    """`module:function` of the image's console script, as pyproject declares it."""
    return project(root)["scripts"][image.script]


def closure(image: Image, root: Path = PROJECT_ROOT) -> Closure:
    return follow([entry_point(image, root).partition(":")[0]], root)


def requirements(path: Path) -> list[str]:
    """The requirement lines of a requirements file, comments stripped."""
    lines = (line.partition("#")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def stage(image: Image, destination: Path, root: Path = PROJECT_ROOT) -> list[Path]:
    """Replaces `destination` with the image's own project; returns the files it holds."""
    if destination.exists():
        shutil.rmtree(destination)
    imported = closure(image, root)
    for source in imported.files():
        target = destination / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for folder in image.data:
        shutil.copytree(root / folder, destination / folder)
    (destination / "pyproject.toml").write_text(_pyproject(image, imported.packages(), root))
    return sorted(path for path in destination.rglob("*") if path.is_file())


def _pyproject(image: Image, packages: list[str], root: Path) -> str:
    """TOML of the staged project; JSON's quoting of these plain strings is TOML's as well.
    The packages are named: setuptools will not guess among several top-level ones."""
    dependencies = requirements(root / image.requirements)
    package_data: dict[str, list[str]] = {}
    for folder in image.data:
        package_data.setdefault(_owning_package(folder), []).append(f"{Path(folder).name}/**/*")
    data_lines = [f"{json.dumps(pkg)} = {json.dumps(globs)}" for pkg, globs in package_data.items()]
    return "\n".join(
        [
            "[build-system]",
            'requires = ["setuptools>=69"]',
            'build-backend = "setuptools.build_meta"',
            "",
            "[project]",
            f"name = {json.dumps('league-app-' + image.name)}",
            f"version = {json.dumps(project(root)['version'])}",
            'requires-python = ">=3.11"',
            f"dependencies = {json.dumps(dependencies)}",
            "",
            "[project.scripts]",
            f"{image.script} = {json.dumps(entry_point(image, root))}",
            "",
            "[tool.setuptools]",
            f"packages = {json.dumps(packages)}",
            "",
            "[tool.setuptools.package-data]",
            *data_lines,
            "",
        ]
    )


def _owning_package(folder: str) -> str:
    return ".".join(Path(folder).parent.parts)
