"""An event loop on a thread of its own, for a process whose other work is threaded (a worker's
handlers, its health server): its streaming pull and its replies run there (events/worker.py)."""

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

Result = TypeVar("Result")


class LoopThread:
    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._name = name
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.loop.run_forever, name=self._name, daemon=True)
        self._thread.start()

    def call(self, function: Callable[..., None], *arguments: Any) -> None:
        """Calls `function(*arguments)` on the loop: at once from there, else in its next turn."""
        if threading.current_thread() is self._thread:
            function(*arguments)
        else:
            self.loop.call_soon_threadsafe(function, *arguments)

    def submit(self, coroutine: Coroutine[Any, Any, Result]) -> Future[Result]:
        """Runs `coroutine` on the loop, from any thread; its future completes on the loop."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine: Coroutine[Any, Any, Result]) -> Result:
        """Runs `coroutine` on the loop and waits for its result, from another thread."""
        return self.submit(coroutine).result()

    def stop(self) -> None:
        """Stops the loop once its current turn is done, and waits for that."""
        if self._thread is None:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self._thread = None
