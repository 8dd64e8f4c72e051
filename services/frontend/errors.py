"""Errors as HTTP answers: `{"error": {"code", "message"}}` on /api/v1, `{"error": msg}` legacy."""

import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from events.messages import describe_validation_error
from events.replies import CommandError, Invalid

log = logging.getLogger(__name__)


class LegacyError(Exception):
    """An error in the original app's shape: a status and one message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def legacy_errors() -> AsyncIterator[None]:
    """Router dependency of the original routes: turns every refusal into their error shape."""
    try:
        yield
    except CommandError as error:
        raise LegacyError(error.status, error.message) from error
    except ValidationError as error:
        raise LegacyError(422, describe_validation_error(error)) from error


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CommandError, _command_error)
    app.add_exception_handler(LegacyError, _legacy_error)
    app.add_exception_handler(ValidationError, _invalid_value)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)


def error_body(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _command_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CommandError)
    if error.status >= 500:
        log.warning("request failed", extra={"code": error.code, "reason": error.message})
    return error_body(error.status, error.code, error.message)


async def _legacy_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, LegacyError)
    return JSONResponse({"error": error.message}, status_code=error.status)


async def _invalid_value(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValidationError)
    return error_body(Invalid.status, Invalid.code, describe_validation_error(error))


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return error_body(Invalid.status, Invalid.code, describe_validation_error(error))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = "not_found" if error.status_code == 404 else "http_error"
    return error_body(error.status_code, code, str(error.detail))
