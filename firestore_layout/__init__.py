"""The Firestore layout of a league: collection names and deterministic document ids.

Ingestion writes these documents and the workers read and change them, so both import this
module; it is the one place that says where a season's data lives.

    seasons/{season_id}                          {season, updated_at}
    seasons/{season_id}/clubs/{club_key}         TableRow fields (club, played, ..., capital)
    seasons/{season_id}/players/{player_key}     Player fields (name, club, ..., price) + club_key
    seasons/{season_id}/files/{file_key}         {name, generation, rows, club}: the last loaded
                                                 generation of each season file; {loading}: the
                                                 generation that holds the right to load it
    ingest_reports/{report_id}                   IngestReport: what happened to one uploaded
                                                 object generation (loaded, rejected, ignored)
    processed_commands/{processed_key}           the reply of each state-changing command, once,
                                                 keyed by its CloudEvents identity (source, id)
    outbox/{event_id}                            domain events committed but maybe not yet published
    outbox_set_aside/{event_id}                  outbox entries that cannot be published, and why

Documents of processed_commands and published outbox entries carry EXPIRES_AT; in production a
Firestore TTL policy on that field (one per collection group) deletes them once it has passed.
"""

import functools
import hashlib
import json
import re
import unicodedata
from typing import Any

from events.values import Player

SEASONS = "seasons"
CLUBS = "clubs"
PLAYERS = "players"
FILES = "files"
INGEST_REPORTS = "ingest_reports"
PROCESSED_COMMANDS = "processed_commands"
OUTBOX = "outbox"
OUTBOX_SET_ASIDE = "outbox_set_aside"
# The field of a document's expiry time, and the collection groups whose documents expire.
EXPIRES_AT = "expires_at"
EXPIRING = (PROCESSED_COMMANDS, OUTBOX)

# Capital (in millions, like prices) of a club whose table file gives none.
DEFAULT_CAPITAL = 100


# Cached because a load computes each name's key twice (duplicate check, document id): a club file
# of up to this many rows pays for each once.
@functools.lru_cache(maxsize=8192)
def key(name: str) -> str:
    """A stable, readable document id for a name: `Manchester City` -> `manchester-city`.

    Accents are folded and case ignored, so `Müller` and `muller` are the same key; that is
    what makes a name unique within a club.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "_"


def club_key(club: str) -> str:
    return key(club)


def player_key(club: str, name: str) -> str:
    return f"{club_key(club)}--{key(name)}"


def season_path(season_id: str) -> str:
    return f"{SEASONS}/{season_id}"


def file_key(file_name: str) -> str:
    return key(file_name)


def report_id(bucket: str, object_name: str, generation: int) -> str:
    """One report per object generation, so a redelivered event finds the report it wrote."""
    return f"{key(bucket)}--{key(object_name)}--{generation}"


def clubs_path(season_id: str) -> str:
    return f"{season_path(season_id)}/{CLUBS}"


def players_path(season_id: str) -> str:
    return f"{season_path(season_id)}/{PLAYERS}"


def club_path(season_id: str, club: str) -> str:
    return f"{clubs_path(season_id)}/{club_key(club)}"


def player_path(season_id: str, club: str, name: str) -> str:
    return f"{players_path(season_id)}/{player_key(club, name)}"


def processed_key(source: str, command_id: str) -> str:
    """One document per CloudEvents identity (source and id), whatever characters either holds:
    a source is a URI, slashes and all, and an id is whatever its sender chose."""
    return hashlib.sha256(json.dumps([source, command_id]).encode()).hexdigest()


def processed_path(source: str, command_id: str) -> str:
    return f"{PROCESSED_COMMANDS}/{processed_key(source, command_id)}"


def outbox_path(event_id: str) -> str:
    return f"{OUTBOX}/{event_id}"


def set_aside_path(event_id: str) -> str:
    return f"{OUTBOX_SET_ASIDE}/{event_id}"


def player_document(player: Player) -> dict[str, Any]:
    """A player's document: the Player fields, and the club's key to query a squad by."""
    return {**player.model_dump(), "club_key": club_key(player.club)}
