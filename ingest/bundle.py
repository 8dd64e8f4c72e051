"""Assembles the folder that `gcloud functions deploy --source` uploads: the function alone.

Cloud Functions wants `main.py` and `requirements.txt` at the root of its source; the function
also imports the `ingest`, `firestore_layout` and `events` packages, so they are copied beside it.
"""

import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("events", "firestore_layout", "ingest")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "requirements.txt")


def bundle(destination: Path, project_root: Path = PROJECT_ROOT) -> list[Path]:
    """Replaces `destination` with a deployable source folder; returns the files it holds."""
    if destination.exists():
        shutil.rmtree(destination)
    for package in PACKAGES:
        shutil.copytree(project_root / package, destination / package, ignore=LEFT_OUT)
    shutil.copy2(project_root / "ingest" / "main.py", destination / "main.py")
    shutil.copy2(project_root / "ingest" / "requirements.txt", destination / "requirements.txt")
    return sorted(path for path in destination.rglob("*") if path.is_file())
