"""Fakes of the Pub/Sub client for the bus's unit tests."""

import threading
from concurrent.futures import Future


class Publisher:
    """Records each publish and hands back a future the test resolves, as Pub/Sub would."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Future[str]]] = []
        self.called = threading.Event()

    def publish(self, topic: str, data: bytes, **attributes: str) -> Future[str]:
        future: Future[str] = Future()
        self.published.append((topic.rsplit("/", 1)[-1], future))
        self.called.set()
        return future
