"""The processes of a running stack, by component, and the peak memory each has used so far."""

import os
from pathlib import Path

from services.devstack.session import descendants

# What each component's process runs, told apart by its command line (the wrappers that
# `league dev start` and gcloud put around them are skipped).
COMPONENTS = {
    "pubsub emulator": "cloud-pubsub-emulator",
    "firestore emulator": "cloud-firestore-emulator",
    "storage emulator": "fake-gcs-server",
    "ingest function": "functions-framework",
    "stats worker": "worker stats",
    "playerops worker": "worker playerops",
    "transfer worker": "worker transfer",
    "frontend": "league frontend",
}


def stack_processes(root_pid: int) -> dict[str, list[int]]:
    """Every descendant of `root_pid` that is a component's own process, by component."""
    found: dict[str, list[int]] = {}
    for pid in descendants(root_pid):
        command = command_line(pid)
        if "dev start" in command or command.startswith(("/bin/sh", "python3 /usr/lib")):
            continue
        for component, marker in COMPONENTS.items():
            if marker in command:
                found.setdefault(component, []).append(pid)
    return found


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the most resident memory the process has had since it started; NaN for one that
    has none (a zombie)."""
    try:
        return status_kib(pid, "VmHWM") / 1024
    except LookupError:
        return float("nan")


def status_kib(pid: int, field: str) -> int:
    """A memory figure of /proc/PID/status (VmRSS, VmHWM, ...), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(f"process {pid} has no {field}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, all its threads (fields 14 and 15 of
    /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def own_peak_rss_mib() -> float:
    return peak_rss_mib(os.getpid())
