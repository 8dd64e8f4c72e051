"""The stats worker's composition root: reads answered from the read model, kept current by the
domain events."""

from collections.abc import Callable
from functools import partial
from typing import Any

from events.commands import (
    STATS,
    GetBestPlayers,
    GetClub,
    GetLeagueTable,
    GetTopPlayers,
    ListPlayers,
    ListSeasons,
)
from events.messages import Command
from events.settings import Settings
from events.worker import CommandContext, Handler
from services.stats import handlers
from services.stats.event_feed import EventFeed
from services.stats.read_model import ReadModel
from services.workers.process import Runtime, WorkerProcess


def bootstrap(settings: Settings | None = None) -> WorkerProcess:
    runtime = Runtime.real(STATS, settings)
    model = ReadModel(runtime.reader(), runtime.settings.stats_model_max_age_seconds)
    ttl_days = runtime.settings.reply_subscription_ttl_days
    feed = EventFeed(runtime.topology, runtime.subscriber, model, ttl_days)
    # The read model answers from memory: a read goes to a thread only to load a season or a club
    # from Firestore (events/waiting.py).
    return runtime.worker_process(stats_handlers(model), listener=feed, reads_on_the_loop=True)


def stats_handlers(model: ReadModel) -> dict[type[Command], Handler]:
    every: dict[type[Command], Callable[..., Any]] = {
        ListSeasons: handlers.list_seasons,
        GetLeagueTable: handlers.get_league_table,
        ListPlayers: handlers.list_players,
        GetBestPlayers: handlers.get_best_players,
        GetClub: handlers.get_club,
        GetTopPlayers: handlers.get_top_players,
    }
    return {command: _fresh_first(partial(h, reader=model), model) for command, h in every.items()}


def _fresh_first(handler: Callable[..., Any], model: ReadModel) -> Handler:
    """The handler, reading afresh the clubs the command's sender has just changed."""

    def handle(command: Any, context: CommandContext) -> Any:
        with model.fresh(context.fresh_clubs):
            return handler(command, context)

    return handle
