"""Writes league data straight into Firestore, laid out as ingestion lays it out."""

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
