"""The benchmark's one table: every figure of a run, and its ratios next to their targets."""

from typing import Any

# The targets, as ratios measured in one run.
READ_P50_AT_MOST = 1.2
READ_P99_AT_MOST = 1.5
READ_THROUGHPUT_AT_LEAST = 0.8
INGEST_AT_LEAST = 0.8
OVER_THE_BUS = "top players, bus only"
PEAK_RSS_MIB_AT_MOST = {"frontend": 200.0, "stats worker": 150.0, "playerops worker": 150.0,
                        "transfer worker": 150.0}  # fmt: skip


def table(results: dict[str, Any]) -> str:
    run = results["run"]
    lines = [
        f"League App benchmark, {run['started'][:19]}, commit {run['commit']}",
        f"machine: {run['machine']}, {run['cores']} cores, Python {run['python']}; "
        f"serial: {run['serial_requests']} requests, concurrent: {run['concurrent_seconds']:g} s",
        "",
        f"{'path':<30}{'serial p50':>11}{'p99':>8}{'c32 req/s':>11}{'c32 p50':>9}{'p99':>8}",
    ]
    floor = results["floor"]
    lines.append(_row("bare bus echo (floor)", floor))
    lines.append(_row(OVER_THE_BUS, results["over_the_bus"]))
    for name, figures in results["reads"].items():
        lines.append(_row(name, figures))
    transfers = results["transfers_c8"]
    lines.append(
        f"{'POST /api/v1/transfers c8':<30}{'':>19}{transfers['per_second']:>11.0f}"
        f"{transfers['p50_ms']:>9.1f}{transfers['p99_ms']:>8.1f}"
    )
    draws = ", ".join(f"{rate:.0f}" for rate in results["floor_draws_c32_per_second"])
    replicas = results["stats_replicas_c64"]
    lines += [
        "",
        f"floor at c32, echoes on fresh streams: {draws} req/s (the median is the floor's row)",
        "reads at c32, each through three fresh frontends (the median is the read's row):",
        *(
            f"  {name}: {', '.join(f'{rate:.0f}' for rate in rates)} req/s"
            for name, rates in results["read_draws_c32_per_second"].items()
        ),
        f"top players at c64: one stats worker {replicas['one']['per_second']:.0f} req/s, "
        f"two {replicas['two']['per_second']:.0f} req/s "
        f"({replicas['two']['per_second'] / replicas['one']['per_second']:.2f}x)",
    ]
    loads = results["ingest"]
    lines.append(
        f"ingest of {loads['rows']} rows: ours {loads['ours_rows_per_second']:.0f} rows/s, "
        f"raw ceiling {loads['raw_ceiling_rows_per_second']:.0f} rows/s, "
        f"raw plain writes {loads['raw_plain_rows_per_second']:.0f} rows/s"
    )
    lines += ["", "peak RSS (MiB): " + ", ".join(
        f"{name} {mib:.0f}" for name, mib in sorted(results["peak_rss_mib"].items())
    )]  # fmt: skip
    lines += ["", "ratios (target):"] + [f"  {line}" for line in _ratios(results)]
    return "\n".join(lines)


def _row(name: str, figures: dict[str, Any]) -> str:
    serial, many = figures["serial"], figures["c32"]
    return (
        f"{name:<30}{serial['p50_ms']:>11.1f}{serial['p99_ms']:>8.1f}"
        f"{many['per_second']:>11.0f}{many['p50_ms']:>9.1f}{many['p99_ms']:>8.1f}"
    )


def _ratios(results: dict[str, Any]) -> list[str]:
    floor = results["floor"]
    found = []
    for name, figures in results["reads"].items():
        p50 = figures["serial"]["p50_ms"] / floor["serial"]["p50_ms"]
        p99 = figures["serial"]["p99_ms"] / floor["serial"]["p99_ms"]
        rate = figures["c32"]["per_second"] / floor["c32"]["per_second"]
        found.append(
            f"{name:<28} p50 {p50:.2f} ({_at_most(p50, READ_P50_AT_MOST)}), "
            f"p99 {p99:.2f} ({_at_most(p99, READ_P99_AT_MOST)}), "
            f"c32 throughput {rate:.2f} ({_at_least(rate, READ_THROUGHPUT_AT_LEAST)})"
        )
    bus_only = results["over_the_bus"]["c32"]["per_second"] / floor["c32"]["per_second"]
    found.append(f"{OVER_THE_BUS:<28} c32 throughput {bus_only:.2f} (no HTTP: no target)")
    ratio = results["ingest"]["ratio"]
    found.append(f"{'ingest / raw ceiling':<28} {ratio:.2f} ({_at_least(ratio, INGEST_AT_LEAST)})")
    plain = results["ingest"]["plain_ratio"]
    found.append(f"{'ingest / raw plain writes':<28} {plain:.2f} (what our checks cost: no target)")
    for name, limit in PEAK_RSS_MIB_AT_MOST.items():
        mib = results["peak_rss_mib"].get(name, float("nan"))
        found.append(f"{name + ' peak RSS':<28} {mib:.0f} MiB ({_at_most(mib, limit, 'MiB')})")
    return found


def _at_most(value: float, limit: float, unit: str = "x") -> str:
    return f"<= {limit:g}{unit}: {'met' if value <= limit else 'NOT met'}"


def _at_least(value: float, limit: float) -> str:
    return f">= {limit:g}x: {'met' if value >= limit else 'NOT met'}"
