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


def describe_validation_error(error: ValidationErrors) -> str:
    """One line naming each bad field and why: `player.position: Input should be ...`."""
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "payload"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)
