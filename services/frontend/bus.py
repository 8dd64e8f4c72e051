"""How a route asks the workers: one command out, its result back, refusals raised as errors."""

import uuid
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from pydantic import BaseModel

from events.envelope import ACTOR, EVERY_CLUB, FRESH_CLUBS
from events.messages import Command
from events.replies import CommandError, IdReused, Reply, Unavailable
from events.requester import Requester
from services.frontend.recent_writes import RecentWrites
from services.frontend.tokens import Actor

ResultT = TypeVar("ResultT", bound=BaseModel)

# Idempotency keys become command ids in this namespace, so a key means the same on any instance.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c1f63-3c52-4d0e-9a55-8a0b7c3e1d42")


class Bus:
    """The requester as the routes see it: typed results, and `CommandError` for every refusal.
    A read sees this frontend's own writes (services/frontend/recent_writes.py)."""

    def __init__(
        self, requester: Requester, recent_writes: RecentWrites, every_club_fresh: bool = False
    ) -> None:
        self.requester = requester
        self._recent_writes = recent_writes
        self._every_club_fresh = every_club_fresh

    def uncached(self) -> "Bus":
        """The same bus, for a client that sent `Cache-Control: no-cache`: its reads are served
        from Firestore as it is now, not from a stats worker's read model."""
        return Bus(self.requester, self._recent_writes, every_club_fresh=True)

    async def ask(
        self,
        command: Command,
        result: type[ResultT],
        *,
        command_id: str | None = None,
        actor: Actor | None = None,
    ) -> ResultT:
        """`actor` goes with a change as its `ce-actor`, to its record and its events. The
        result may be shared by every read the same reply answers (`Reply.result_as`): a frozen
        model, never changed."""
        if not self.requester.ready:
            raise Unavailable("the frontend is not connected to the bus yet; try again shortly")
        # Noted before it is sent: a write whose reply never comes may still have been applied.
        self._recent_writes.wrote(command.clubs_changed())
        extensions: dict[str, str] = {}
        if actor:
            extensions[ACTOR] = actor.subject
        if command.read_only:
            fresh = EVERY_CLUB if self._every_club_fresh else self._recent_writes.fresh_clubs()
            if fresh:
                extensions[FRESH_CLUBS] = fresh
        reply = await self.requester.request(
            command, command_id=command_id, extensions=extensions or None
        )
        if reply.error is not None:
            raise _refusal(reply, command_id)
        return reply.result_as(result)


def _refusal(reply: Reply, command_id: str | None) -> CommandError:
    refusal = CommandError.from_reply(reply)
    if command_id is not None and isinstance(refusal, IdReused):
        # The command id is the Idempotency-Key's: say so in the client's terms (IETF draft).
        return IdReused(
            "this Idempotency-Key was used before with another request body (or another "
            "season) and stands for that request; nothing was done: send a new key for a new "
            "request"
        )
    return refusal


def command_id_for(key: str, method: str, path: str) -> str:
    """The same key on the same route always names the same command, so workers act once."""
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{method} {path}\n{key}"))


# The dependencies are coroutines: FastAPI runs a plain `def` one in a worker thread, a hop per
# request for no blocking work.
async def get_bus(request: Request) -> Bus:
    bus: Bus = request.app.state.bus
    if "no-cache" in request.headers.get("cache-control", "").lower():
        return bus.uncached()
    return bus


async def get_command_id(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=200,
            description="Repeating a request with the same key returns the same result, once.",
        ),
    ] = None,
) -> str | None:
    if not idempotency_key:
        return None
    return command_id_for(idempotency_key, request.method, request.url.path)


BusDep = Annotated[Bus, Depends(get_bus)]
CommandIdDep = Annotated[str | None, Depends(get_command_id)]
