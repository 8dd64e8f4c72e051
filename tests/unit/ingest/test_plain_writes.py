"""A write encoded by ingest/plain_writes.py is the library's `set`, byte for byte."""

from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from events.values import Player
from firestore_layout import player_document
from ingest.plain_writes import add_set, plain_set

CLIENT = firestore.Client(project="plain-writes", credentials=AnonymousCredentials())
DOCUMENT = CLIENT.document("seasons/2018-19/players/chelsea--eden-hazard")


def _written(data: dict[str, Any], by_us: bool) -> list[bytes]:
    batch = CLIENT.batch()
    if by_us:
        add_set(batch, DOCUMENT, data)
    else:
        batch.set(DOCUMENT, data)
    return [
        type(write).pb(write).SerializeToString(deterministic=True) for write in batch._write_pbs
    ]


HAZARD = Player(
    name="Eden Hazard", club="Chelsea", nationality="Belgium", position="Forward",
    appearances=37, goals=16, assists=15, passes=1522, interceptions=11, tackles=28, fouls=22,
    price=90,
)  # fmt: skip
PLAIN = [
    player_document(HAZARD),
    {"name": "Éden Hazard", "empty": "", "negative": -3, "large": 2**62, "ratio": 0.25},
    {"flag": True, "off": False, "nothing": None, "zero": 0, "dotted.name": "kept whole"},
]
NOT_PLAIN = [
    {},
    {"updated_at": firestore.SERVER_TIMESTAMP, "season": "2018-19"},
    {"stats": {"goals": 3}},
    {"positions": ["Forward"]},
]


@pytest.mark.parametrize("data", PLAIN)
def test_a_document_of_plain_fields_is_encoded_as_the_library_encodes_it(data):
    assert plain_set(DOCUMENT._document_path, data) is not None
    assert _written(data, by_us=True) == _written(data, by_us=False)


@pytest.mark.parametrize("data", NOT_PLAIN)
def test_any_other_document_is_left_to_the_library(data):
    assert plain_set(DOCUMENT._document_path, data) is None
    assert _written(data, by_us=True) == _written(data, by_us=False)


def test_a_bool_is_encoded_as_a_bool_not_as_the_int_it_also_is():
    encoded = plain_set(DOCUMENT._document_path, {"flag": True})

    assert encoded is not None
    assert encoded.update.fields["flag"].boolean_value is True
    assert "integer_value" not in encoded.update.fields["flag"]
