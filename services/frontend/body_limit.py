"""A request body may be at most as large as the contract's largest command (MAX_COMMAND_BYTES):
no valid request needs more, so no route reads more. A body declared or found larger is a 413,
raised where a route reads it, so each route answers in its own error shape."""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events.envelope import MAX_COMMAND_BYTES

MAX_BODY_BYTES = MAX_COMMAND_BYTES


def too_large(size: str) -> HTTPException:
    return HTTPException(
        413, f"the request body is {size} bytes; the largest accepted is {MAX_BODY_BYTES:,}"
    )


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared.isdecimal() and int(declared) > MAX_BODY_BYTES:
                raise too_large(f"{int(declared):,}")
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise too_large(f"more than {MAX_BODY_BYTES:,}")
            return message

        await self.app(scope, limited_receive, send)
