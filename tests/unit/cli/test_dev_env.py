"""`league dev env`: the exports that point a shell at the local stack."""

from typer.testing import CliRunner

from services.cli.main import app


def test_dev_env_prints_exports_for_the_stack_addresses_with_overrides_kept(monkeypatch):
    monkeypatch.delenv("PUBSUB_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9999")

    printed = CliRunner().invoke(app, ["dev", "env"])

    assert printed.exit_code == 0
    lines = printed.output.splitlines()
    assert "export PUBSUB_EMULATOR_HOST=127.0.0.1:8085" in lines
    assert "export FIRESTORE_EMULATOR_HOST=127.0.0.1:9999" in lines
    assert "export LEAGUE_FUNCTION_URL=http://127.0.0.1:8094/" in lines
