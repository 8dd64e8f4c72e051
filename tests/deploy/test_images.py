"""Each image holds its own service and what it imports: no ingest code in a worker, no worker
runtime in the frontend, and every third-party import installed by the image's requirements."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from events.commands import SERVICES
from shipping.images import IMAGES, Image, closure, entry_point, project, requirements, stage
from shipping.imports import PROJECT_ROOT
from tests.deploy.distributions import distributions_of, with_dependencies

WORKERS = [image for image in IMAGES if image.name in SERVICES]
BY_NAME = pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)


def test_there_is_one_image_per_deployable_service_and_the_names_are_the_codes() -> None:
    assert [image.name for image in IMAGES] == ["frontend", *SERVICES]
    assert all((PROJECT_ROOT / "services" / image.name).is_dir() for image in IMAGES)


@pytest.mark.parametrize("image", WORKERS, ids=lambda image: image.name)
def test_a_worker_image_holds_no_ingest_frontend_cli_or_requester_code(image: Image) -> None:
    packages = closure(image).packages()
    assert packages == sorted(
        ["events", "firestore_layout", "services", f"services.{image.name}", "services.workers"]
    )
    assert "events.requester" not in closure(image).modules


def test_the_frontend_image_holds_no_ingest_worker_or_cli_code() -> None:
    frontend = closure(IMAGES[0])
    assert not any(
        name.startswith(("ingest", "services.workers", "services.cli")) for name in frontend.modules
    )
    assert "events.worker" not in frontend.modules


@BY_NAME
def test_every_package_an_image_imports_comes_with_its_requirements(image: Image) -> None:
    imported = distributions_of(closure(image).third_party)
    installed = with_dependencies(requirements(PROJECT_ROOT / image.requirements))
    assert imported - installed == set()


@BY_NAME
def test_a_requirement_its_modules_do_not_import_says_why_it_is_there(image: Image) -> None:
    imported = distributions_of(closure(image).third_party)
    for line in (PROJECT_ROOT / image.requirements).read_text().splitlines():
        requirement, _, reason = line.partition("#")
        if requirement.strip():
            name = canonicalize_name(Requirement(requirement).name)
            assert name in imported or reason.strip(), f"{line!r}: nothing imports it"


@BY_NAME
def test_every_image_requirement_is_pinned_as_the_project_pins_it(image: Image) -> None:
    pinned = set(project()["dependencies"])
    assert set(requirements(PROJECT_ROOT / image.requirements)) <= pinned


@BY_NAME
def test_a_staged_image_runs_its_entry_point_from_its_own_files(
    image: Image, tmp_path: Path
) -> None:
    staged = tmp_path / image.name
    stage(image, staged)
    module = entry_point(image).partition(":")[0]
    check = f"import {module} as entry; print(entry.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", check], cwd=staged, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip().startswith(str(staged))
    assert all((staged / folder).is_dir() for folder in image.data)


@BY_NAME
def test_a_staged_image_installs_exactly_one_script_its_command(
    image: Image, tmp_path: Path
) -> None:
    stage(image, tmp_path / image.name)
    staged = tomllib.loads((tmp_path / image.name / "pyproject.toml").read_text())["project"]
    assert staged["scripts"] == {image.script: entry_point(image)}
    assert staged["dependencies"] == requirements(PROJECT_ROOT / image.requirements)


@BY_NAME
def test_a_staged_image_builds_the_wheel_the_dockerfile_installs(
    image: Image, tmp_path: Path
) -> None:
    """The Dockerfile's `pip install` of the staged project, as a wheel: exactly the staged
    modules and data, and the image's command as the only console script."""
    staged = tmp_path / image.name
    files = {path.relative_to(staged).as_posix() for path in stage(image, staged)}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path / "wheel"), str(staged)],
        capture_output=True, check=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        scripts = next(archive.read(n) for n in names if n.endswith("entry_points.txt")).decode()
    assert {name for name in names if ".dist-info/" not in name} == files - {"pyproject.toml"}
    assert scripts.split() == ["[console_scripts]", image.script, "=", entry_point(image)]
