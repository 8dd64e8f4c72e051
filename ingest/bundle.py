"""Assembles the folder that `gcloud functions deploy --source` uploads: the function alone.

Cloud Functions wants `main.py` and `requirements.txt` at the root of its source. Beside them go
the project modules `ingest/main.py` imports, followed to the last one (shipping/imports.py), so
the bundle holds the loader, the Firestore layout and the bus contract it publishes with, and no
worker, requester or frontend code.
"""

import shutil
from pathlib import Path

from shipping.imports import PROJECT_ROOT, follow

ENTRY_MODULE = "ingest.main"


def bundle(destination: Path, project_root: Path = PROJECT_ROOT) -> list[Path]:
    """Replaces `destination` with a deployable source folder; returns the files it holds."""
    if destination.exists():
        shutil.rmtree(destination)
    imported = follow([ENTRY_MODULE], project_root)
    for name, source in imported.modules.items():
        # main.py goes to the root, where Cloud Functions looks for it.
        target = destination / (
            "main.py" if name == ENTRY_MODULE else source.relative_to(project_root)
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    shutil.copy2(project_root / "ingest" / "requirements.txt", destination / "requirements.txt")
    return sorted(path for path in destination.rglob("*") if path.is_file())
