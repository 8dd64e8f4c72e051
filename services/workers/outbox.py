"""Publishes committed domain events from the outbox onto the domain-events topic, one publisher
at a time per event.

A command's transaction writes its events to `outbox/{event id}`. The process that committed them
publishes them right after the commit, then marks them published; until `lease` has passed since
the commit they are that process's alone. Every worker also sweeps the outbox, at start and then
periodically, for events still unpublished whose lease has run out (their publisher died, or
Pub/Sub was down): it claims each with a write that only succeeds if the document is unchanged
since it was read, so of several replicas sweeping at once one wins and the others leave it.

An event still goes out twice when its publisher dies after Pub/Sub took it but before marking
it, or outlives its lease; it keeps its id (the outbox id is the CloudEvent id) and consumers
dedupe by it. An entry that cannot be read back into an event (an unknown type, invalid data) is
set aside to `outbox_set_aside/` and logged, and the sweep goes on without it. Published events
expire after RETENTION.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.pubsub_v1 import PublisherClient
from prometheus_client import CollectorRegistry, Counter, Gauge

from events.domain_events import DOMAIN_EVENTS_BY_TYPE
from events.envelope import ACTOR, new_event, publish
from events.topology import Topology
from events.tracing import TRACE_ATTRIBUTES
from firestore_layout import EXPIRES_AT, OUTBOX, outbox_path, set_aside_path
from services.workers.changes import OutboxEntry

log = logging.getLogger(__name__)

RETENTION = timedelta(days=7)
Snapshot = firestore.DocumentSnapshot


@dataclass(frozen=True)
class Pending:
    """An unpublished entry as the sweep read it."""

    snapshot: Snapshot
    entry: OutboxEntry
    created_at: datetime
    order: int
    lease_end: datetime


class OutboxPublisher:
    def __init__(
        self,
        client: firestore.Client,
        publisher: PublisherClient,
        topology: Topology,
        source: str,
        lease: timedelta,
        registry: CollectorRegistry,
    ) -> None:
        self._client = client
        self._publisher = publisher
        self._topic = topology.topic_path(topology.events_topic)
        self._source = source
        self._lease = lease
        self._events = Counter(
            "league_outbox_events_total",
            "Outbox events by outcome: published (after their commit), swept (by a sweep), "
            "claimed_elsewhere (by another replica's sweep), set_aside (unpublishable).",
            ["outcome"],
            registry=registry,
        )
        # As the last sweep found them: a sweep reads every unpublished entry anyway.
        self._backlog = Gauge(
            "league_outbox_backlog_events",
            "Unpublished events in the outbox at the last sweep.",
            registry=registry,
        )
        self._oldest_age = Gauge(
            "league_outbox_oldest_age_seconds",
            "Age of the oldest unpublished event in the outbox at the last sweep (0 when none).",
            registry=registry,
        )

    def publish(self, entries: list[OutboxEntry]) -> None:
        """After their commit: publishes and marks the entries in order; at the first failure
        the rest stay in the outbox for a sweep, so events are not published out of order."""
        self._publish_in_order(entries, "published")

    def sweep(self) -> None:
        """Publishes the events whose lease has run out and which this process claims first,
        oldest first."""
        now = _now()
        unpublished = self._client.collection(OUTBOX).where(
            filter=FieldFilter("published", "==", False)
        )
        readable = [p for p in map(self._pending, unpublished.stream()) if p is not None]
        self._measure_backlog(readable, now)
        claimed = [
            p.entry
            for p in sorted(readable, key=lambda p: (p.created_at, p.order))
            if p.lease_end <= now and self._claim(p.snapshot, now)
        ]
        if claimed:
            log.info("publishing events left in the outbox", extra={"count": len(claimed)})
        self._publish_in_order(claimed, "swept")

    def sweep_every(self, seconds: float, stopping: threading.Event) -> None:
        """Sweeps now and then every `seconds` until `stopping` is set, on a thread of its own."""

        def loop() -> None:
            while True:
                try:
                    self.sweep()
                except Exception:
                    log.exception("outbox sweep failed; trying again later")
                if stopping.wait(seconds):
                    return

        threading.Thread(target=loop, name="outbox-sweep", daemon=True).start()

    def _pending(self, snapshot: Snapshot) -> "Pending | None":
        """The entry as the sweep needs it, or None when it can never be published (then it is
        set aside)."""
        document = snapshot.to_dict() or {}
        try:
            event_class = DOMAIN_EVENTS_BY_TYPE.get(document.get("type", ""))
            if event_class is None:
                raise ValueError(f"unknown event type {document.get('type')!r}")
            event = event_class.model_validate(document.get("data"))
            created_at = document["created_at"]
            lease_end = document.get("lease_until") or created_at + self._lease
            if not isinstance(lease_end, datetime):
                raise TypeError(f"lease_until is not a time: {lease_end!r}")
            entry = OutboxEntry(
                snapshot.id, event, actor=document.get("actor"), trace=_trace(document.get("trace"))
            )
            return Pending(
                snapshot, entry, created_at,
                int(document.get("order", 0)), lease_end,
            )  # fmt: skip
        except (ValueError, TypeError, KeyError) as error:
            self._set_aside(snapshot, f"{type(error).__name__}: {error}")
            return None

    def _measure_backlog(self, unpublished: list[Pending], now: datetime) -> None:
        self._backlog.set(len(unpublished))
        oldest = min((p.created_at for p in unpublished), default=now)
        self._oldest_age.set(max((now - oldest).total_seconds(), 0.0))

    def _claim(self, snapshot: Snapshot, now: datetime) -> bool:
        """Takes the lease, if nobody changed the entry since this sweep read it."""
        unchanged = self._client.write_option(last_update_time=snapshot.update_time)
        try:
            snapshot.reference.update({"lease_until": now + self._lease}, option=unchanged)
        except (google_errors.FailedPrecondition, google_errors.NotFound):
            self._events.labels("claimed_elsewhere").inc()
            return False
        return True

    def _set_aside(self, snapshot: Snapshot, reason: str) -> None:
        log.error(
            "outbox entry set aside: it cannot be published",
            extra={"event_id": snapshot.id, "reason": reason[:1000]},
        )
        batch = self._client.batch()
        aside = {**(snapshot.to_dict() or {}), "reason": reason[:1000], "set_aside_at": _now()}
        batch.set(self._client.document(set_aside_path(snapshot.id)), aside)
        batch.delete(snapshot.reference)
        batch.commit()
        self._events.labels("set_aside").inc()

    def _publish_in_order(self, entries: list[OutboxEntry], outcome: str) -> None:
        for entry in entries:
            try:
                self._publish_one(entry)
            except Exception:
                log.exception(
                    "could not publish an event; the outbox keeps it",
                    extra={"event_id": entry.event_id},
                )
                return
            self._events.labels(outcome).inc()

    def _publish_one(self, entry: OutboxEntry) -> None:
        event = entry.event
        publish(
            self._publisher,
            self._topic,
            # In the trace of the command that committed it, whoever publishes it.
            new_event(
                event.event_type,
                self._source,
                event,
                event_id=entry.event_id,
                extensions={**entry.trace, **({ACTOR: entry.actor} if entry.actor else {})},
            ),
        )
        now = _now()
        self._client.document(outbox_path(entry.event_id)).update(
            {"published": True, "published_at": now, EXPIRES_AT: now + RETENTION}
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _trace(stored: object) -> dict[str, str]:
    """The trace context an entry was committed with; none when it has none we can use (it is
    written by our own workers, but an entry without one still gets published)."""
    if not isinstance(stored, dict):
        return {}
    wanted = (name for name in TRACE_ATTRIBUTES if isinstance(stored.get(name), str))
    return {name: stored[name] for name in wanted}
