"""The stats worker's read model: the seasons it has read, their clubs and squads, in memory.

A read is answered from memory, with no Firestore query. What a write changes reaches the model
in two ways:
- the domain events (services/stats/event_feed.py): each one marks the clubs it changed stale,
  and the next read of a stale club reloads it first; a table or a new season drops what the
  model holds of that season. So a replica lags Firestore by the time an event takes to reach it
  (tens of milliseconds on the emulator).
- a read may name clubs that must be read afresh (`fresh_clubs`): the frontend names the clubs
  its own writes changed in the last seconds (read-your-writes), or every club when the client
  sent `Cache-Control: no-cache`. Such a read reloads those clubs from Firestore, unless a reload
  that began after the read arrived has already done it. The frontend only sends the read after
  the write's reply, which comes after its commit, so the read sees the write, whatever became of
  its event.
And whatever happens to the events, a season read more than `max_age` seconds ago is read again
in full before it answers: a change made behind the app's back (by hand, in the console) shows
within that time.
What the reads make of a season (a ranking, the table in order, a club's squad with its best
players) is kept too, until a club of the season is read again: `kept`.
"""

import threading
import time
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from events.envelope import EVERY_CLUB
from events.values import Player, TableRow
from events.waiting import holding
from firestore_layout import club_key
from services.workers.documents import Document
from services.workers.reader import LeagueReader, Made, Rank


@dataclass(frozen=True)
class Freshness:
    """What one read asks for: these clubs no older than the moment it arrived."""

    clubs: frozenset[str]
    arrived: float  # time.monotonic()

    def wants(self, key: str) -> bool:
        return EVERY_CLUB in self.clubs or key in self.clubs


_wanted: ContextVar[Freshness | None] = ContextVar("league_fresh_clubs", default=None)


@dataclass
class _Club:
    row: TableRow | None
    squad: list[Player]
    loaded_at: float  # time.monotonic() when the reload that read it began
    stale: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class _Kept:
    made_from: tuple[float, ...]  # the load time of each club of the season, when it was made
    value: Any


@dataclass
class _Season:
    clubs: dict[str, _Club]
    loaded_at: float
    kept: dict[Hashable, _Kept] = field(default_factory=dict)  # what `ReadModel.kept` made


class ReadModel(LeagueReader):
    def __init__(self, source: LeagueReader, max_age: float = 300.0) -> None:
        super().__init__(source.configured_season)
        self._source = source
        self._max_age = max_age
        self._lock = threading.Lock()
        # One season read at a time: 32 reads arriving together at a cold model read it once.
        self._loading = threading.Lock()
        self._seasons: dict[str, _Season] = {}
        # Changes heard of per season, so a season read while one comes in is not kept as current.
        self._changes: dict[str, int] = {}
        self._season_ids: list[str] | None = None
        self._season_ids_read_at = 0.0

    @contextmanager
    def fresh(self, clubs: Collection[str]) -> Iterator[None]:
        """Reads inside the block reload `clubs` (keys, or EVERY_CLUB) unless read since now."""
        token = _wanted.set(Freshness(frozenset(clubs), time.monotonic()) if clubs else None)
        try:
            yield
        finally:
            _wanted.reset(token)

    # --- what the domain events tell it

    def clubs_changed(self, season_id: str, clubs: Collection[str]) -> None:
        with self._lock:
            self._changes[season_id] = self._changes.get(season_id, 0) + 1
            held = self._seasons.get(season_id)
            if held is None:
                return
            keys = {club_key(club) for club in clubs}
            if not keys <= held.clubs.keys():
                self._seasons.pop(season_id)  # a club it has never seen: read it all again
                return
            for key in keys:
                held.clubs[key].stale = True

    def season_changed(self, season_id: str) -> None:
        with self._lock:
            self._changes[season_id] = self._changes.get(season_id, 0) + 1
            self._seasons.pop(season_id, None)
            self._season_ids = None

    def everything_changed(self) -> None:
        """Events may have gone unheard (the feed was not subscribed): nothing held is current."""
        with self._lock:
            for season_id in self._seasons.keys() | self._changes.keys():
                self._changes[season_id] = self._changes.get(season_id, 0) + 1
            self._seasons.clear()
            self._season_ids = None

    # --- LeagueReader, from memory

    def seasons(self) -> list[str]:
        known = self._season_ids
        freshness = _wanted.get()
        outdated = (
            freshness is not None
            and EVERY_CLUB in freshness.clubs
            and self._season_ids_read_at < freshness.arrived
        )
        if known is None or outdated:
            began = time.monotonic()
            known = self._season_ids = self._source.seasons()
            self._season_ids_read_at = began
        return known

    def clubs(self, season_id: str) -> list[TableRow]:
        return [club.row for club in self._current(season_id) if club.row is not None]

    def players(
        self, season_id: str, club: str | None = None, position: str | None = None
    ) -> list[Player]:
        wanted = None if club is None else {club_key(club)}
        return [
            player
            for key, held in self._current_by_key(season_id, wanted)
            for player in held.squad
            if position is None or player.position == position
        ]

    def club(self, season_id: str, club: str) -> TableRow | None:
        found = [held.row for _, held in self._current_by_key(season_id, {club_key(club)})]
        return found[0] if found else None

    def ranked(self, season_id: str, position: str, rank: Rank) -> Sequence[Player]:
        """Kept: a top-players read ranked some hundred players to keep three, a sixth of the
        worker's CPU for it."""
        return self.kept(
            season_id,
            ("ranked", position, rank),
            partial(super().ranked, season_id, position, rank),
        )

    def kept(self, season_id: str, what: Hashable, make: Callable[[], Made]) -> Made:
        """`make()`'s value, kept from one read to the next until a club of the season is read
        again (a read wanting a club afresh included)."""
        season = self._season(season_id)
        # Each reload sets a club's squad before its load time: the times read first, a value
        # made while a club reloads is kept under the time before, and made again next read.
        made_from = tuple(held.loaded_at for _, held in self._current_by_key(season_id, None))
        found = season.kept.get(what)
        if found is None or found.made_from != made_from:
            found = season.kept[what] = _Kept(made_from, make())
        return cast(Made, found.value)

    def _document(self, path: str) -> Document | None:
        return self._source._document(path)

    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        return self._source._query(collection, equal)

    # --- loading

    def _current(self, season_id: str) -> list[_Club]:
        return [held for _, held in self._current_by_key(season_id, None)]

    def _current_by_key(
        self, season_id: str, wanted: set[str] | None
    ) -> Iterator[tuple[str, _Club]]:
        season = self._season(season_id)
        freshness = _wanted.get()
        for key, held in list(season.clubs.items()):
            if wanted is not None and key not in wanted:
                continue
            if held.stale or _older(key, held, freshness):
                self._reload(season_id, key, held, freshness)
            yield key, held

    def _season(self, season_id: str) -> _Season:
        held = self._held(season_id)
        if held is not None:
            return held
        with holding(self._loading):
            return self._held(season_id) or self._load(season_id)

    def _held(self, season_id: str) -> _Season | None:
        """The season as held, unless too old, or older than a read wanting every club afresh
        (which must see clubs the model never held, too)."""
        with self._lock:
            held = self._seasons.get(season_id)
        if held is None or time.monotonic() - held.loaded_at >= self._max_age:
            return None
        freshness = _wanted.get()
        if freshness is not None and EVERY_CLUB in freshness.clubs:
            return held if held.loaded_at >= freshness.arrived else None
        return held

    def _load(self, season_id: str) -> _Season:
        with self._lock:
            held = self._seasons.get(season_id)
            changes = self._changes.get(season_id, 0)
        began = time.monotonic()
        rows = {club_key(row.club): row for row in self._source.clubs(season_id)}
        squads: dict[str, list[Player]] = {key: [] for key in rows}
        for player in self._source.players(season_id):
            squads.setdefault(club_key(player.club), []).append(player)
        clubs = {key: _Club(rows.get(key), squad, began) for key, squad in squads.items()}
        loaded = _Season(clubs, began)
        with self._lock:
            if self._changes.get(season_id, 0) != changes:
                return loaded  # changed while it was read: good for this read, not to keep
            if self._seasons.get(season_id) is held:  # nobody else read it again meanwhile
                self._seasons[season_id] = loaded
            return self._seasons[season_id]

    def _reload(self, season_id: str, key: str, held: _Club, freshness: Freshness | None) -> None:
        """One reload at a time per club; a reload that began after the read arrived will do."""
        with holding(held.lock):
            if not held.stale and not _older(key, held, freshness):
                return  # reloaded meanwhile, by a reload that began after the read arrived
            # An event arriving during the reload marks it stale again.
            was_stale, held.stale = held.stale, False
            began = time.monotonic()
            try:
                row = self._source.club(season_id, key)
                squad = self._source.players(season_id, club=key)  # a club key is its own key
            except BaseException:
                held.stale = held.stale or was_stale  # not reloaded: as stale as it was
                raise
            held.row, held.squad, held.loaded_at = row, squad, began


def _older(key: str, held: _Club, freshness: Freshness | None) -> bool:
    """True if the read wants the club afresh and it was read before the read arrived."""
    return freshness is not None and freshness.wants(key) and held.loaded_at < freshness.arrived
