"""What a worker records of a command to apply it once: who sent it, what it asked, the answer.

CloudEvents identity is (`ce-source`, `ce-id`): two systems may well pick the same id, and each
of their commands is applied once. The record keeps a digest of the command's type and payload,
so a delivery under a used identity that asks for something else (a raw client reusing an id, an
`Idempotency-Key` sent again with another body) is refused instead of answered with the reply of
a command it is not. Records expire after DEDUPLICATION_WINDOW (a Firestore TTL policy on
EXPIRES_AT deletes them): longer than Pub/Sub keeps an unacknowledged message.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.messages import Command
from events.replies import IdReused, Reply
from events.worker import CommandContext
from firestore_layout import EXPIRES_AT, processed_path
from services.workers.documents import Document

# Pub/Sub redelivers an unacknowledged message for at most 7 days (a subscription's longest
# retention), so no redelivery comes later than that after the first delivery was applied. An
# Idempotency-Key is honoured as long.
DEDUPLICATION_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class CommandRecord:
    source: str
    command_id: str
    command_type: str
    digest: str

    @classmethod
    def of(cls, command: Command, context: CommandContext) -> "CommandRecord":
        # The command as validated, keys sorted: the same request always has the same digest,
        # however its sender spaced or ordered the JSON.
        payload = json.dumps(command.model_dump(mode="json"), sort_keys=True)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        return cls(context.source, context.command_id, context.command_type, digest)

    @property
    def path(self) -> str:
        return processed_path(self.source, self.command_id)

    def replay(self, recorded: Document) -> Reply:
        """The reply recorded under this identity; refused when it was another command's."""
        if recorded.get("type") != self.command_type or recorded.get("digest") != self.digest:
            raise IdReused(
                f"command id {self.command_id!r} from {self.source} was used before by another "
                f"command ({recorded.get('type')}, or this type with another payload); nothing "
                "was done: a new command needs a new id"
            )
        return Reply.model_validate(recorded["reply"])

    def document(self, reply: Reply, now: datetime) -> Document:
        return {
            "source": self.source,
            "command_id": self.command_id,
            "type": self.command_type,
            "digest": self.digest,
            "reply": reply.model_dump(mode="json"),
            "recorded_at": now,
            EXPIRES_AT: now + DEDUPLICATION_WINDOW,
        }
