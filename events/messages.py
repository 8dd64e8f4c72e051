"""Base classes of everything that travels on the bus: commands, replies and domain events."""

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

TYPE_PREFIX = "org.leagueapp"


class Message(BaseModel):
    """A payload with a CloudEvent type; the type carries the schema version (`...v1`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]


class Command(Message):
    """An imperative request with exactly one handler, in the service named by `service`."""

    service: ClassVar[str]
    # Read-only commands are dropped unanswered once their deadline has passed; writes never are,
    # because their effect is recorded exactly once whether or not anyone still waits for it.
    read_only: ClassVar[bool] = False
    result: ClassVar[type[BaseModel]]

    def clubs_changed(self) -> tuple[str, ...]:
        """The clubs whose players or capital the command may change (none, for a read)."""
        return ()


class DomainEvent(Message):
    """A fact in the past tense, published on the domain-events topic for any consumer."""


def command_type(service: str, name: str, version: int = 1) -> str:
    return f"{TYPE_PREFIX}.{service}.{name}.v{version}"


def event_type(name: str, version: int = 1) -> str:
    return f"{TYPE_PREFIX}.event.{name}.v{version}"


class ValidationErrors(Protocol):
    """Pydantic's ValidationError, or FastAPI's RequestValidationError."""

    def errors(self) -> Sequence[Any]: ...


# An error message may name what it was given, but never echoes an unbounded part of it.
QUOTED_CHARACTERS = 100
DESCRIBED_PROBLEMS = 10


def quoted(given: str, limit: int = QUOTED_CHARACTERS) -> str:
    """`given` in quotes as repr() writes it, its first `limit` characters at most, saying so."""
    if len(given) <= limit:
        return repr(given)
    return f"{given[:limit]!r}... ({len(given)} characters, the first {limit} quoted)"


def describe_validation_error(error: ValidationErrors) -> str:
    """One line naming each bad field and why: `player.position: Input should be ...`; at most
    DESCRIBED_PROBLEMS of them, and the input's own keys cut short."""
    problems = error.errors()
    described = []
    for item in problems[:DESCRIBED_PROBLEMS]:
        where = ".".join(_location(part) for part in item["loc"]) or "payload"
        described.append(f"{where}: {_cut(str(item['msg']), 300)}")
    if len(problems) > DESCRIBED_PROBLEMS:
        described.append(f"and {len(problems) - DESCRIBED_PROBLEMS} more problems")
    return "; ".join(described)


def _location(part: object) -> str:
    # A location part is a field of ours, an index, or a key the sender made up (an extra field).
    text = str(part)
    return text if len(text) <= 40 else quoted(text, 40)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... (cut at {limit} characters)"
