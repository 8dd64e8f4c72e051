"""How the documents of firestore_layout/ map back onto the value models."""

from typing import Any

from pydantic import BaseModel

from events.values import Player, TableRow

Document = dict[str, Any]


def from_document(model: type[BaseModel], document: Document) -> Any:
    # Documents may carry fields of their own (club_key, load times): keep the model's only.
    return model.model_validate({k: v for k, v in document.items() if k in model.model_fields})


def player_from_document(document: Document) -> Player:
    player: Player = from_document(Player, document)
    return player


def row_from_document(document: Document) -> TableRow:
    row: TableRow = from_document(TableRow, document)
    return row
