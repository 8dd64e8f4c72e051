"""The dashboard and the alerts, offline: promtool checks the rules and runs their unit tests,
the Managed Service for Prometheus resource holds the same rules, and the dashboard ships as a
ConfigMap Grafana's sidecar loads. (tests/e2e/test_observability.py runs every panel's query
against a Prometheus scraping the stack.)"""

import json
import subprocess
from pathlib import Path

import yaml

from shipping.imports import PROJECT_ROOT
from tests.deploy.manifests import objects
from tests.support.promtool import promtool

MONITORING = PROJECT_ROOT / "k8s" / "monitoring"
RULES_FILE = MONITORING / "alerts.rules.yaml"
ALERT_TESTS = Path(__file__).parent / "monitoring" / "alerts_test.yaml"
DASHBOARD = MONITORING / "league-dashboard.json"


def run_promtool(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *arguments], capture_output=True, text=True, cwd=cwd)


def test_the_alerting_rules_pass_promtool_check_rules():
    checked = run_promtool("check", "rules", str(RULES_FILE))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_alert_fires_on_series_that_break_it_and_only_then():
    tested = run_promtool("test", "rules", ALERT_TESTS.name, cwd=ALERT_TESTS.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_unit_test():
    groups = yaml.safe_load(RULES_FILE.read_text())["groups"]
    alerts = {rule["alert"] for group in groups for rule in group["rules"] if "alert" in rule}
    tests = yaml.safe_load(ALERT_TESTS.read_text())["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"]}
    assert alerts == tested


def test_managed_prometheus_gets_the_same_rules_as_a_self_run_one():
    (rules,) = objects("overlays/gke", "Rules").values()
    assert rules["metadata"]["namespace"] == "league"
    assert rules["spec"]["groups"] == yaml.safe_load(RULES_FILE.read_text())["groups"]


def test_the_dashboard_ships_as_a_config_map_that_grafanas_sidecar_loads():
    config_map = objects("overlays/gke", "ConfigMap")["league-dashboard"]
    assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
    (shipped,) = config_map["data"].values()
    assert json.loads(shipped) == json.loads(DASHBOARD.read_text())


def test_every_panel_reads_the_prometheus_data_source_the_dashboard_asks_for():
    dashboard = json.loads(DASHBOARD.read_text())
    (variable,) = dashboard["templating"]["list"]
    assert (variable["type"], variable["query"]) == ("datasource", "prometheus")
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == f"${{{variable['name']}}}", panel["title"]
            assert panel["targets"], panel["title"]
