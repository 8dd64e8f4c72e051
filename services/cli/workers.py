"""`league worker stats|playerops|transfer`: runs one worker service until SIGTERM."""

import importlib
from enum import StrEnum
from typing import Annotated

import typer

from events.commands import SERVICES

# A choice for Typer, made from the one list of worker services.
Service = StrEnum("Service", [(name, name) for name in SERVICES])  # type: ignore[misc]


def worker(
    service: Annotated[Service, typer.Argument(help="The worker service to run.")],
) -> None:
    """Run a worker service (until SIGTERM or Ctrl-C): stats, playerops or transfer."""
    bootstrap = importlib.import_module(f"services.{service.value}.bootstrap").bootstrap
    bootstrap().run_until_terminated()
