"""Prometheus on the local stack: Debian's `prometheus`, scraping every process of the stack.

The configuration is `prometheus.yml` beside this file; what runs is a copy in the stack's state
folder with the addresses the stack has (each moves with its environment variable) and the rules
file's path made absolute. Without the binary the rest of the stack runs and says how to get it.
"""

import shutil
from pathlib import Path
from typing import Any

import yaml

from events.settings import Address
from services.devstack.settings import StackSettings

CONFIG = Path(__file__).with_name("prometheus.yml")
INSTALL_HINT = (
    "Prometheus is not installed, so the stack runs without it: "
    "apt-get install prometheus (Debian, Ubuntu), then `make run` again"
)
# Each scrape job of the configuration, and the setting that says where that process listens.
JOB_ADDRESSES = {
    "frontend": "frontend_address",
    "stats": "stats_address",
    "playerops": "playerops_address",
    "transfer": "transfer_address",
    "ingest": "function_address",
}


def prometheus_folder(stack: StackSettings) -> Path:
    return stack.state_dir / f"prometheus-{Address.parse(stack.prometheus_address).port}"


def prometheus_command(stack: StackSettings) -> list[str] | None:
    """The command that runs Prometheus for this stack, or None when it is not installed."""
    binary = shutil.which("prometheus")
    if binary is None:
        return None
    folder = prometheus_folder(stack)
    return [
        binary, f"--config.file={folder / 'prometheus.yml'}",
        f"--web.listen-address={stack.prometheus_address}",
        f"--storage.tsdb.path={folder / 'data'}", "--storage.tsdb.retention.time=1d",
    ]  # fmt: skip


def write_config(stack: StackSettings) -> Path:
    """Writes the configuration with this stack's addresses where the command expects it."""
    config = stack_config(yaml.safe_load(CONFIG.read_text()), stack)
    path = prometheus_folder(stack) / "prometheus.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def stack_config(config: dict[str, Any], stack: StackSettings) -> dict[str, Any]:
    """`config` with each job's target at the stack's address and rule files found anywhere."""
    for job in config["scrape_configs"]:
        address = getattr(stack, JOB_ADDRESSES[job["job_name"]])
        job["static_configs"] = [{"targets": [str(Address.parse(address))]}]
    config["rule_files"] = [str((CONFIG.parent / r).resolve()) for r in config["rule_files"]]
    return config
