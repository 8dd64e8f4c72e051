"""A streaming pull that outlasts Pub/Sub outages, for the stats worker's event feed (the workers'
commands and a requester's replies are read on an event loop instead: events/loop_pulling.py).

The client library reopens a broken stream by itself (and, on our channels, the reopened
stream waits until Pub/Sub answers: events/pubsub_clients.py). But when the subscription is gone,
say after an emulator restart, the stream ends for good. Then a thread asks Pub/Sub every
`RETRY_SECONDS` until the subscription answers (making it first, for one of its own) and
opens a new stream. A live stream is never cancelled to make way for another: the emulator 0.8.20
mishandles a cancelled stream and goes on handing it messages (see tests/conftest.py).
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.futures import StreamingPullFuture

from events.pubsub_clients import subscription_problem

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class Pulling:
    """Pulls `subscription` into `callback` from `start` to `stop`, whatever happens between."""

    def __init__(
        self,
        subscriber: pubsub_v1.SubscriberClient,
        subscription: str,
        callback: Callable[[Any], None],
        *,
        prepare: Callable[[], None] = lambda: None,
        options: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        """`prepare` makes the subscription, for those who own theirs; `options` gives the
        `subscribe` arguments for each new stream (a scheduler serves one stream only)."""
        self._subscriber = subscriber
        self._subscription = subscription
        self._callback = callback
        self._prepare = prepare
        self._options = options
        self._lock = threading.Lock()  # between stopping and subscribing again
        self._pull: StreamingPullFuture | None = None
        self._stopping = threading.Event()

    @property
    def running(self) -> bool:
        return self._pull is not None and self._pull.running()

    def start(self) -> None:
        """Prepares and subscribes; raises if Pub/Sub cannot be reached or refuses."""
        self._stopping.clear()
        self._prepare()
        with self._lock:
            self._subscribe()

    def stop(self, timeout: float | None) -> bool:
        """Stops pulling; True once the callbacks running finished, False if `timeout` came
        first (they go on, unacknowledged)."""
        with self._lock:
            self._stopping.set()
            pull, self._pull = self._pull, None
        if pull is None:
            return True
        pull.cancel()
        try:
            pull.result(timeout=timeout)
        except TimeoutError:
            return False
        except Exception:  # the future reports its cancellation as an error; nothing is lost
            log.debug("pull stopped", exc_info=True)
        return True

    def problem(self) -> str | None:
        """What keeps messages from coming, asked of Pub/Sub; None when nothing does."""
        if not self.running:
            return "not pulling"
        return subscription_problem(self._subscriber, self._subscription)

    def _subscribe(self) -> None:
        pull = self._subscriber.subscribe(self._subscription, self._callback, **self._options())
        pull.add_done_callback(self._on_pull_ended)
        self._pull = pull
        log.info("pulling", extra={"subscription": self._subscription})

    def _on_pull_ended(self, pull: StreamingPullFuture) -> None:
        if pull.cancelled() or self._stopping.is_set():
            return
        error = str(pull.exception())
        log.warning("pull ended", extra={"subscription": self._subscription, "error": error})
        threading.Thread(target=self._subscribe_again, name="pull-again", daemon=True).start()

    def _subscribe_again(self) -> None:
        said = None
        while not self._stopping.wait(RETRY_SECONDS):
            try:
                self._prepare()
                problem = subscription_problem(self._subscriber, self._subscription)
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
            if problem is None:
                with self._lock:
                    if not self._stopping.is_set():
                        self._subscribe()
                return
            if problem != said:
                log.warning("waiting for Pub/Sub", extra={"problem": problem})
                said = problem
