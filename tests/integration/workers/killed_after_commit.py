"""`python -m tests.integration.workers.killed_after_commit`: the transfer worker, composed as its
bootstrap composes it, but whose process dies (SIGKILL, as in a power cut) right after a commit,
before publishing its events. The seam is the outbox the runtime is given, wrapped from here."""

import logging
import os
import signal
from datetime import timedelta

from events.commands import TRANSFER
from services.transfer.bootstrap import transfer_handlers
from services.workers.changes import OutboxEntry
from services.workers.outbox import OutboxPublisher
from services.workers.process import Runtime

log = logging.getLogger(__name__)


class DyingOutbox(OutboxPublisher):
    def publish(self, entries: list[OutboxEntry]) -> None:
        log.critical("killing this process after a commit", extra={"events": len(entries)})
        os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    runtime = Runtime.real(TRANSFER)
    lease = timedelta(seconds=runtime.settings.outbox_lease_seconds)
    runtime.outbox = DyingOutbox(
        runtime.firestore, runtime.publisher, runtime.topology, runtime.source, lease,
        runtime.registry,
    )  # fmt: skip
    runtime.worker_process(transfer_handlers(runtime.unit_of_work())).run_until_terminated()


if __name__ == "__main__":
    main()
