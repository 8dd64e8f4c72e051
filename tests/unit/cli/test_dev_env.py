"""`league dev env`: the exports that point a shell (league, gcloud, gsutil) at the local stack."""

import configparser
from pathlib import Path

from typer.testing import CliRunner

from services.cli.main import app


def exports(output: str) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in output.splitlines())
    return dict(pairs)


def test_dev_env_prints_exports_for_the_stack_addresses_with_overrides_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBSUB_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9999")
    monkeypatch.setenv("LEAGUE_DEV_STATE_DIR", str(tmp_path))

    printed = CliRunner().invoke(app, ["dev", "env"])

    assert printed.exit_code == 0
    lines = printed.output.splitlines()
    assert all(line.startswith("export ") for line in lines)
    assert "export PUBSUB_EMULATOR_HOST=127.0.0.1:8085" in lines
    assert "export FIRESTORE_EMULATOR_HOST=127.0.0.1:9999" in lines


def test_dev_env_points_gcloud_and_gsutil_at_the_storage_emulator_in_scratch_config(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:7023")
    monkeypatch.setenv("LEAGUE_STORAGE_HTTPS_ADDRESS", "127.0.0.1:7443")
    monkeypatch.setenv("LEAGUE_DEV_STATE_DIR", str(tmp_path))

    variables = exports(CliRunner().invoke(app, ["dev", "env"]).output)

    assert variables["CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE"] == "http://127.0.0.1:7023/"
    assert variables["CLOUDSDK_AUTH_DISABLE_CREDENTIALS"] == "true"
    assert variables["CLOUDSDK_CORE_PROJECT"] == variables["LEAGUE_PROJECT_ID"]
    scratch = Path(variables["CLOUDSDK_CONFIG"])
    assert scratch.is_dir() and scratch.is_relative_to(tmp_path)
    boto = configparser.ConfigParser()
    boto.read(variables["BOTO_CONFIG"])
    assert boto["Credentials"]["gs_json_port"] == "7443"
    assert boto["Boto"]["https_validate_certificates"] == "False"
    assert boto["GSUtil"]["default_project_id"] == variables["LEAGUE_PROJECT_ID"]
