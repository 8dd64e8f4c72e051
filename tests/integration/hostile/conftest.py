"""Hostile input against the three worker processes, each test on topics of its own."""

from tests.integration.workers.conftest import start_worker

__all__ = ["start_worker"]
