"""The local stack's Prometheus: its configuration, its address, and the stack without it."""

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from events.settings import Settings
from services.cli.main import app
from services.devstack import prometheus
from services.devstack.settings import StackSettings
from services.devstack.stack import component_named, league_command
from tests.support.promtool import promtool


def test_the_configuration_in_the_repository_is_valid_and_its_rules_too():
    checked = subprocess.run(
        [promtool(), "check", "config", str(prometheus.CONFIG)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_prometheus_scrapes_every_process_of_the_stack_where_it_listens(monkeypatch, tmp_path):
    monkeypatch.setenv("LEAGUE_DEV_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("LEAGUE_TRANSFER_ADDRESS", "127.0.0.1:7093")
    stack = StackSettings()

    written = yaml.safe_load(prometheus.write_config(stack).read_text())

    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in written["scrape_configs"]
    }
    assert targets == {
        "frontend": ["127.0.0.1:8080"],
        "stats": ["127.0.0.1:8091"],
        "playerops": ["127.0.0.1:8092"],
        "transfer": ["127.0.0.1:7093"],
        "ingest": ["127.0.0.1:8094"],
    }
    assert all(Path(rules).is_file() for rules in written["rule_files"])


def test_dev_env_names_prometheus_address(monkeypatch, tmp_path):
    monkeypatch.setenv("LEAGUE_DEV_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("LEAGUE_PROMETHEUS_ADDRESS", "127.0.0.1:9999")

    printed = CliRunner().invoke(app, ["dev", "env"]).output

    assert "export LEAGUE_PROMETHEUS_ADDRESS=127.0.0.1:9999" in printed.splitlines()


def test_without_the_binary_the_component_says_how_to_install_it_and_waits(tmp_path):
    # A PATH of the venv and the stack's other programs, but no prometheus.
    programs = tmp_path / "bin"
    programs.mkdir()
    gcloud = shutil.which("gcloud")
    assert gcloud is not None
    (programs / "gcloud").symlink_to(gcloud)
    path = f"{Path(sys.executable).parent}:{programs}"
    environment = {"PATH": path, "LEAGUE_DEV_STATE_DIR": str(tmp_path)}
    component = component_named("prometheus", StackSettings(), Settings())
    assert component.missing is None  # this machine has it; without it on PATH:

    started = subprocess.Popen(
        league_command("dev", "start", "prometheus"),
        env=environment, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert started.stderr is not None
    said = started.stderr.readline()
    still_running = started.poll() is None
    started.send_signal(signal.SIGINT)
    started.wait(timeout=10)

    assert "apt-get install prometheus" in said
    assert still_running, "honcho would stop the whole stack if this process ended"
