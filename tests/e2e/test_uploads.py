"""Season files uploaded with the real `gcloud storage cp` and `gsutil cp` on `make run`'s stack,
in a shell set up as the README says (`eval "$(league dev env)"`), reach the API."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from firestore_layout import INGEST_REPORTS
from services.devstack.launch import stack_environment, stack_up
from services.devstack.stack import league_command

PROJECT_ID = "league-uploads-test"
BUCKET = "gs://league-seasons"
DEMO = Path(__file__).resolve().parents[2] / "data" / "seasons" / "2018-19"
REPORT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Shell:
    """A shell after `eval "$(league dev env)"`, beside a running stack."""

    environment: dict[str, str]
    api: httpx.Client
    firestore: firestore.Client

    def run(self, *command: str) -> None:
        done = subprocess.run(command, env=self.environment, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}"

    def report(self, object_name: str, after: int = 0) -> dict:
        """The function's report on the newest generation of the object above `after`."""
        query = (
            self.firestore.collection(INGEST_REPORTS)
            .where(filter=FieldFilter("object", "==", object_name))
            .where(filter=FieldFilter("generation", ">", after))
        )
        give_up = time.monotonic() + REPORT_TIMEOUT_SECONDS
        while not (found := [snapshot.to_dict() or {} for snapshot in query.stream()]):
            assert time.monotonic() < give_up, f"no report on {object_name}"
            time.sleep(0.2)
        return max(found, key=lambda report: report["generation"])

    def squad(self, club: str, season: str) -> set[str]:
        answer = self.api.get(f"/api/v1/clubs/{club}", params={"season": season})
        assert answer.status_code == 200, answer.text
        return {player["name"] for player in answer.json()["players"]}


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shell]:
    for tool in ("gcloud", "gsutil"):
        assert shutil.which(tool), f"{tool} is not on PATH: see the README's prerequisites"
    environment = stack_environment(PROJECT_ID, tmp_path_factory.mktemp("state"))
    with stack_up(environment), pytest.MonkeyPatch.context() as patch:
        printed = subprocess.run(
            league_command("dev", "env"), env=environment, capture_output=True, text=True
        )
        exports = dict(
            line.removeprefix("export ").split("=", 1) for line in printed.stdout.splitlines()
        )
        patch.setenv("FIRESTORE_EMULATOR_HOST", environment["FIRESTORE_EMULATOR_HOST"])
        frontend = f"http://{environment['LEAGUE_FRONTEND_ADDRESS']}"
        with httpx.Client(base_url=frontend, timeout=30) as api:
            yield Shell({**environment, **exports}, api, firestore.Client(project=PROJECT_ID))


def test_gcloud_storage_cp_and_gsutil_cp_load_files_that_the_api_then_serves(shell):
    shell.run("gcloud", "storage", "cp", str(DEMO / "Liverpool.csv"), f"{BUCKET}/seasons/2019-20/")
    shell.run("gsutil", "cp", str(DEMO / "Teams.csv"), f"{BUCKET}/seasons/2019-20/")

    assert shell.report("seasons/2019-20/Liverpool.csv")["status"] == "loaded"
    assert shell.report("seasons/2019-20/Teams.csv")["rows"] == 20
    assert "Mohamed Salah" in shell.squad("Liverpool", "2019-20")
    table = shell.api.get("/api/v1/clubs", params={"season": "2019-20"}).json()
    assert [row["club"] for row in table["rows"][:2]] == ["Manchester City", "Liverpool"]


def test_a_bad_file_sent_with_gsutil_is_rejected_whole_and_its_report_names_the_line(
    shell, tmp_path
):
    bad = tmp_path / "Chelsea.csv"
    good = (DEMO / "Chelsea.csv").read_text()
    bad.write_text(good + "Chelsea,Eden Hazard II,Belgium,Winger,1,1,1,1,1,1,1,10\n")

    shell.run("gsutil", "cp", str(bad), f"{BUCKET}/seasons/2020-21/")

    report = shell.report("seasons/2020-21/Chelsea.csv")
    bad_line = len(good.splitlines()) + 1
    assert report["status"] == "rejected"
    assert [error["line"] for error in report["errors"]] == [bad_line]
    assert shell.api.get("/api/v1/clubs/Chelsea", params={"season": "2020-21"}).status_code == 404


def test_uploading_a_club_file_again_replaces_that_clubs_players(shell, tmp_path):
    target = f"{BUCKET}/seasons/2021-22/Arsenal.csv"
    shell.run("gcloud", "storage", "cp", str(DEMO / "Arsenal.csv"), target)
    first = shell.report("seasons/2021-22/Arsenal.csv")
    everyone = shell.squad("Arsenal", "2021-22")
    smaller = tmp_path / "Arsenal.csv"
    smaller.write_text("".join((DEMO / "Arsenal.csv").read_text().splitlines(keepends=True)[:4]))

    shell.run("gsutil", "cp", str(smaller), target)

    second = shell.report("seasons/2021-22/Arsenal.csv", after=first["generation"])
    assert second["status"] == "loaded" and second["rows"] == 3
    kept = shell.squad("Arsenal", "2021-22")
    assert len(kept) == 3 and kept < everyone
