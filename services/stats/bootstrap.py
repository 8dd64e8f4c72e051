"""The stats worker's composition root."""

from functools import partial

from events.commands import (
    STATS,
    GetBestPlayers,
    GetLeagueTable,
    GetTopPlayers,
    ListPlayers,
    ListSeasons,
)
from events.messages import Command
from events.settings import Settings
from events.worker import Handler
from services.stats import handlers
from services.workers.process import Runtime, WorkerProcess
from services.workers.reader import LeagueReader


def bootstrap(settings: Settings | None = None) -> WorkerProcess:
    runtime = Runtime.real(STATS, settings)
    return runtime.worker_process(stats_handlers(runtime.reader()))


def stats_handlers(reader: LeagueReader) -> dict[type[Command], Handler]:
    return {
        ListSeasons: partial(handlers.list_seasons, reader=reader),
        GetLeagueTable: partial(handlers.get_league_table, reader=reader),
        ListPlayers: partial(handlers.list_players, reader=reader),
        GetBestPlayers: partial(handlers.get_best_players, reader=reader),
        GetTopPlayers: partial(handlers.get_top_players, reader=reader),
    }
