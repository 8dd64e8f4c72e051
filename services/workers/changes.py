"""What a state-changing command sees inside its transaction: reads, then staged writes and events.

Writes are staged and only reach Firestore when the unit of work commits, so the rule that a
Firestore transaction reads before it writes holds whatever order a handler works in. Reads see
the season as it was before this command.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from events.messages import DomainEvent
from events.replies import Reply
from events.tracing import trace_extensions
from events.values import Player
from firestore_layout import club_path, outbox_path, player_document, player_path
from services.workers.command_record import CommandRecord
from services.workers.documents import Document
from services.workers.lookups import Lookups


@dataclass(frozen=True)
class Write:
    """Merges `data` into the document at `path`, or deletes it when `data` is None."""

    path: str
    data: Document | None


@dataclass(frozen=True)
class OutboxEntry:
    event_id: str
    event: DomainEvent
    # The actor of the command that raised it, published as the event's `ce-actor`.
    actor: str | None = None
    # The trace context of the span that committed the event, which the published event carries
    # even when a sweep publishes it, from another process, long after.
    trace: dict[str, str] = field(default_factory=dict)


class LeagueChanges(Lookups):
    def __init__(self, configured_season: str | None = None) -> None:
        super().__init__(configured_season)
        self.writes: list[Write] = []
        self.entries: list[OutboxEntry] = []

    def save_player(self, season_id: str, player: Player) -> None:
        path = player_path(season_id, player.club, player.name)
        self.writes.append(Write(path, player_document(player)))

    def delete_player(self, season_id: str, club: str, name: str) -> None:
        self.writes.append(Write(player_path(season_id, club, name), None))

    def set_capital(self, season_id: str, club: str, capital: int) -> None:
        self.writes.append(Write(club_path(season_id, club), {"capital": capital}))

    def publish(self, event: DomainEvent) -> None:
        """Publishes `event` once the transaction commits (through the outbox)."""
        self.entries.append(OutboxEntry(str(uuid.uuid4()), event, trace=trace_extensions()))

    def discard(self) -> None:
        self.writes.clear()
        self.entries.clear()

    def closing_writes(self, record: CommandRecord, reply: Reply) -> list[Write]:
        """All the transaction commits: the effect, the recorded reply and the outbox events."""
        now = datetime.now(UTC)
        processed = Write(record.path, record.document(reply, now))
        outbox = [
            Write(outbox_path(entry.event_id), outbox_document(entry, record, now, order))
            for order, entry in enumerate(self.entries)
        ]
        return [*self.writes, processed, *outbox]


def outbox_document(
    entry: OutboxEntry, record: CommandRecord, now: datetime, order: int
) -> Document:
    """Unpublished, and so without an expiry: the outbox keeps it until it is published."""
    return {
        "type": entry.event.event_type,
        "data": entry.event.model_dump(mode="json"),
        "source": record.source,
        "command_id": record.command_id,
        "actor": record.actor,
        "created_at": now,
        # Keeps the commit order of several events of one command when sorting by time.
        "order": order,
        "trace": entry.trace,
        "published": False,
    }
