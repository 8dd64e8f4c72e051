"""A write encoded by ingest/plain_writes.py is the library's `set`, byte for byte."""

from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from bench.ingest import _player
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


PLAIN = [
    _player(7),
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
