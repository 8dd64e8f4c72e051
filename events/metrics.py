"""Prometheus metrics of the bus: what workers handle and what requesters wait for."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class BusMetrics:
    """One set per process, registered on the registry its composition root hands in."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.commands = Counter(
            "league_commands_total",
            "Commands a worker finished, by type and outcome (ok, refused, failed, expired, dead).",
            ["service", "type", "outcome"],
            registry=registry,
        )
        self.commands_in_flight = Gauge(
            "league_commands_in_flight",
            "Commands a worker is working on now.",
            ["service"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "league_command_seconds",
            "Time a worker spent on one command, reply included.",
            ["service", "type"],
            registry=registry,
        )
        self.requests = Counter(
            "league_requests_total",
            "Requests a requester sent, by command type and outcome (ok, error, timeout).",
            ["type", "outcome"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "league_request_seconds",
            "Time from publishing a command to its reply.",
            ["type"],
            registry=registry,
        )
        self.late_replies = Counter(
            "league_late_replies_total",
            "Replies that came after their request gave up, dropped.",
            registry=registry,
        )
