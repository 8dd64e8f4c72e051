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
            "Commands a worker has taken and not yet acked or nacked, replies going out included.",
            ["service"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "league_command_seconds",
            "Time a worker spent on one command, reply included.",
            ["service", "type"],
            registry=registry,
        )
        self.bus_delay_seconds = Histogram(
            "league_command_bus_delay_seconds",
            "Time from a command's publish (its ce-time) to a worker starting on it.",
            ["service", "type"],
            registry=registry,
        )
        self.dead_letters = Counter(
            "league_dead_letters_total",
            "Messages a worker put on the dead-letter topic, by the error code that sent them.",
            ["service", "code"],
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
