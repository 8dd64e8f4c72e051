"""Where a season's clubs and players live, and how their documents map onto the value models."""

from typing import Any

from events.values import Player, TableRow
from ingest.layout import (
    CLUBS,
    OUTBOX,
    PLAYERS,
    PROCESSED_COMMANDS,
    club_key,
    player_key,
    season_path,
)

Document = dict[str, Any]


def club_path(season_id: str, club: str) -> str:
    return f"{season_path(season_id)}/{CLUBS}/{club_key(club)}"


def player_path(season_id: str, club: str, name: str) -> str:
    return f"{season_path(season_id)}/{PLAYERS}/{player_key(club, name)}"


def players_path(season_id: str) -> str:
    return f"{season_path(season_id)}/{PLAYERS}"


def clubs_path(season_id: str) -> str:
    return f"{season_path(season_id)}/{CLUBS}"


def processed_path(command_id: str) -> str:
    return f"{PROCESSED_COMMANDS}/{command_id}"


def outbox_path(event_id: str) -> str:
    return f"{OUTBOX}/{event_id}"


def player_from_document(document: Document) -> Player:
    # Documents may carry fields of their own (club_key, load times): keep the model's only.
    return Player.model_validate({k: v for k, v in document.items() if k in Player.model_fields})


def player_to_document(player: Player) -> Document:
    return {**player.model_dump(), "club_key": club_key(player.club)}


def row_from_document(document: Document) -> TableRow:
    return TableRow.model_validate(
        {k: v for k, v in document.items() if k in TableRow.model_fields}
    )
