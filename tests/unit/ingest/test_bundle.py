"""The deployable folder of the function: main.py at its root, and everything it imports."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from ingest.bundle import PROJECT_ROOT, bundle


def test_the_bundle_holds_main_requirements_and_both_packages(tmp_path: Path) -> None:
    files = {path.relative_to(tmp_path).as_posix() for path in bundle(tmp_path / "fn")}
    assert {"fn/main.py", "fn/requirements.txt", "fn/ingest/loader.py"} <= files
    assert "fn/events/envelope.py" in files
    assert not any("__pycache__" in name for name in files)


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
