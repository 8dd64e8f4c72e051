"""Writes league data straight into Firestore, laid out as ingestion lays it out; waits on it."""

import time
from collections.abc import Callable

from google.cloud import firestore

from events.values import Player, TableRow
from firestore_layout import club_path, player_document, player_path, season_path


def seed_season(
    client: firestore.Client, season_id: str, clubs: list[TableRow], players: list[Player]
) -> None:
    """Writes (or overwrites) a season's document, these clubs and these players, at once."""
    batch = client.batch()
    batch.set(client.document(season_path(season_id)), {"season": season_id})
    for row in clubs:
        batch.set(client.document(club_path(season_id, row.club)), row.model_dump())
    for player in players:
        batch.set(
            client.document(player_path(season_id, player.club, player.name)),
            player_document(player),
        )
    batch.commit()


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Reads until `condition` (a check of what Firestore holds) is true or `timeout` passed;
    returns its last value."""
    give_up = time.monotonic() + timeout
    while not (holds := condition()) and time.monotonic() < give_up:
        time.sleep(0.25)
    return holds
