"""The transfer worker's composition root."""

from functools import partial

from events.commands import TRANSFER, TransferPlayer
from events.messages import Command
from events.settings import Settings
from events.worker import Handler
from services.transfer.handlers import transfer_player
from services.workers.process import Runtime, WorkerProcess
from services.workers.unit_of_work import UnitOfWork


def bootstrap(settings: Settings | None = None) -> WorkerProcess:
    runtime = Runtime.real(TRANSFER, settings)
    return runtime.worker_process(transfer_handlers(runtime.unit_of_work()))


def transfer_handlers(uow: UnitOfWork) -> dict[type[Command], Handler]:
    return {TransferPlayer: partial(transfer_player, uow=uow)}
