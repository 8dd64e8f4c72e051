"""Hostile input against the three worker processes, each test on topics of its own, on
emulators of this package's own: its 10 MB messages stay out of the other tests' way."""

from tests.conftest import package_clients, package_emulators
from tests.integration.workers.conftest import start_worker

emulators = package_emulators()
publisher, subscriber = package_clients()

__all__ = ["emulators", "publisher", "start_worker", "subscriber"]
