"""The deployable folder of the function: main.py at its root, and only what it imports."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from ingest.bundle import PROJECT_ROOT, bundle


def bundled_modules(tmp_path: Path) -> set[str]:
    source = tmp_path / "fn"
    return {
        path.relative_to(source).with_suffix("").as_posix().replace("/", ".")
        for path in bundle(source)
        if path.suffix == ".py"
    }


def test_the_bundle_holds_main_requirements_the_loader_the_layout_and_the_contract(
    tmp_path: Path,
) -> None:
    files = {path.relative_to(tmp_path).as_posix() for path in bundle(tmp_path / "fn")}
    assert {"fn/main.py", "fn/requirements.txt", "fn/ingest/loader.py"} <= files
    assert {"fn/firestore_layout/__init__.py", "fn/events/envelope.py"} <= files
    assert not any("__pycache__" in name for name in files)


def test_the_bundle_carries_no_worker_requester_frontend_or_cli_code(tmp_path: Path) -> None:
    modules = bundled_modules(tmp_path)
    assert not {"events.worker", "events.requester"} & modules
    assert not any(name.startswith("services") for name in modules)
    assert "ingest.bundle" not in modules  # the bundler is a deploy tool, not part of the function


def test_main_imports_its_packages_from_the_bundle_itself(tmp_path: Path) -> None:
    source = tmp_path / "fn"
    bundle(source)
    check = "import main, ingest, events; print(ingest.__file__); print(events.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", check], cwd=source, capture_output=True, text=True, check=True
    )
    assert all(line.startswith(str(source)) for line in found.stdout.splitlines())


def test_the_function_requirements_pin_what_the_project_pins() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    pinned = set(project["project"]["dependencies"])
    lines = (PROJECT_ROOT / "ingest" / "requirements.txt").read_text().splitlines()
    required = {line for line in lines if line and not line.startswith("#")}
    assert required <= pinned
    assert all(re.fullmatch(r"[a-z0-9-]+==[0-9.]+", line) for line in required)
