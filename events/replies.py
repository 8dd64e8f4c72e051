"""The reply to a command, and the errors a handler raises to refuse one."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from events.messages import TYPE_PREFIX, quoted

REPLY_TYPE = f"{TYPE_PREFIX}.reply.v1"
Shape = TypeVar("Shape", bound=BaseModel)


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    message: str


class Reply(BaseModel):
    """`status` has HTTP's meanings (200, 404, 409, 422, 500, 504) so an edge can pass it on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: int
    result: dict[str, Any] | None = None
    error: ErrorBody | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @cached_property
    def _results(self) -> dict[type[BaseModel], BaseModel]:
        """What `result_as` made of the result, by shape. Not a field, nor a private attribute:
        pydantic's equality compares those, and a Reply is equal to another by what it says."""
        return {}

    def result_as(self, shape: type[Shape]) -> Shape:
        """The result validated as `shape`, once a reply: the requester hands out the same Reply
        for the same bytes read again (events/requester.py), and a club page's result takes
        about 60 us to validate."""
        made = self._results.get(shape)
        if made is None:
            made = self._results[shape] = shape.model_validate(self.result)
        return cast(Shape, made)


class CommandError(Exception):
    """A refusal the sender should see: carries its status, a stable code and a human message."""

    status = 500
    code = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_reply(self) -> Reply:
        return Reply(status=self.status, error=ErrorBody(code=self.code, message=self.message))

    @classmethod
    def from_reply(cls, reply: Reply) -> "CommandError":
        """The refusal an error reply carries, as the class of its code (NotFound for
        `not_found`, ...), with its status and code as they came."""
        assert reply.error is not None, "an error reply"
        kinds = {kind.code: kind for kind in cls.__subclasses__()}
        refusal = kinds.get(reply.error.code, cls)(reply.error.message)
        refusal.status, refusal.code = reply.status, reply.error.code
        return refusal


class BadMessage(CommandError):
    status, code = 400, "bad_message"


class TooLarge(CommandError):
    status, code = 413, "too_large"


class NotFound(CommandError):
    status, code = 404, "not_found"


def unknown_season(wanted: str, known: Sequence[str]) -> NotFound:
    """The refusal for a season that is not loaded, naming those that are."""
    return NotFound(f"there is no season {quoted(wanted)}; known: {', '.join(known) or 'none'}")


class UnknownSource(CommandError):
    """A command whose `ce-source` is not allowed on its topic (events/partners.py)."""

    status, code = 403, "unknown_source"


class Conflict(CommandError):
    status, code = 409, "conflict"


class Invalid(CommandError):
    status, code = 422, "invalid"


class IdReused(CommandError):
    """A command under the (source, id) of another command: refused, as it is not that one."""

    status, code = 422, "id_reused"


class Unavailable(CommandError):
    status, code = 503, "unavailable"


class DeadlineExceeded(CommandError):
    status, code = 504, "deadline_exceeded"


def ok_reply(result: BaseModel) -> Reply:
    return Reply(status=200, result=result.model_dump(mode="json"))
