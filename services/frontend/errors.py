"""Errors as HTTP answers: RFC 9457 problem details on /api/v1, `{"error": msg}` on the original
routes, whose clients read that shape."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from events.messages import describe_validation_error
from events.replies import CommandError, ErrorBody, Invalid
from services.frontend.schemas import PROBLEM_JSON, Problem
from services.frontend.tokens import Refused

log = logging.getLogger(__name__)
# The methods a 405's Allow header may name: HEAD is left out, as the routes do not answer it.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class LegacyError(Exception):
    """An error in the original app's shape: a status and one message (and headers it needs)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


@contextmanager
def legacy_errors() -> Iterator[None]:
    """Around the original routes (routers/legacy.py): turns every refusal into their shape."""
    try:
        yield
    except CommandError as error:
        raise LegacyError(error.status, error.message) from error
    except Refused as error:
        raise LegacyError(error.status, error.message, error.headers) from error
    except HTTPException as error:
        # Starlette's own refusals while the route reads its body (a 413 from body_limit.py).
        headers = dict(error.headers) if error.headers else None
        raise LegacyError(error.status_code, str(error.detail), headers) from error
    except (ValidationError, RequestValidationError) as error:
        raise LegacyError(Invalid.status, describe_validation_error(error)) from error


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CommandError, _command_error)
    app.add_exception_handler(LegacyError, _legacy_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(ValidationError, _invalid_value)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)


def problem(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=message,
        error=ErrorBody(code=code, message=message),
    )
    return JSONResponse(
        body.model_dump(), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


async def _command_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CommandError)
    if error.status >= 500:
        log.warning("request failed", extra={"code": error.code, "reason": error.message})
    return problem(error.status, error.code, error.message)


async def _legacy_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, LegacyError)
    return JSONResponse({"error": error.message}, status_code=error.status, headers=error.headers)


async def _refused(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Refused)
    return problem(error.status, error.code, error.message, error.headers)


async def _invalid_value(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValidationError)
    return problem(Invalid.status, Invalid.code, describe_validation_error(error))


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return problem(Invalid.status, Invalid.code, describe_validation_error(error))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own answers (no route, a method the route lacks, a body it cannot read)."""
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    if error.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        # The route Starlette found knows its own methods only; the path may have others.
        headers["Allow"] = ", ".join(allowed_methods(request))
    code = HTTPStatus(error.status_code).name.lower()
    return problem(error.status_code, code, str(error.detail), headers)


def allowed_methods(request: Request) -> list[str]:
    """The methods some route of the app answers at the request's path (RFC 9110, 15.5.6)."""
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    found = [
        method
        for method in METHODS
        if any(route.matches(_probe(request, method))[0] == Match.FULL for route in routes)
    ]
    # No route but a mount matched: the static files, which serve GET and HEAD.
    return found or ["GET", "HEAD"]


def _probe(request: Request, method: str) -> dict[str, object]:
    # The request's scope as routing first saw it, but for the method.
    routed = ("route", "endpoint", "path_params")
    return {**{k: v for k, v in request.scope.items() if k not in routed}, "method": method}
