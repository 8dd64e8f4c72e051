"""The playerops worker's composition root."""

from functools import partial

from events.commands import PLAYEROPS, CreatePlayer, DeletePlayer, GetPlayer, UpdatePlayer
from events.messages import Command
from events.settings import Settings
from events.worker import Handler
from services.playerops import handlers
from services.workers.process import Runtime, WorkerProcess
from services.workers.reader import LeagueReader
from services.workers.unit_of_work import UnitOfWork


def bootstrap(settings: Settings | None = None) -> WorkerProcess:
    runtime = Runtime.real(PLAYEROPS, settings)
    return runtime.worker_process(playerops_handlers(runtime.reader(), runtime.unit_of_work()))


def playerops_handlers(reader: LeagueReader, uow: UnitOfWork) -> dict[type[Command], Handler]:
    return {
        CreatePlayer: partial(handlers.create_player, uow=uow),
        GetPlayer: partial(handlers.get_player, reader=reader),
        UpdatePlayer: partial(handlers.update_player, uow=uow),
        DeletePlayer: partial(handlers.delete_player, uow=uow),
    }
