"""Replies read once: the same small reply's bytes are one Reply, a large one is read each time."""

import pydantic_core

from events.replies import Reply, ok_reply
from events.requester import LARGEST_REMEMBERED_REPLY, read_reply
from events.values import SeasonList


def reply_bytes(seasons: int) -> bytes:
    ids = [f"{1000 + n}-{n % 100:02d}" for n in range(seasons)]
    return pydantic_core.to_json(ok_reply(SeasonList(seasons=ids, current=ids[0])))


def test_the_same_small_reply_is_read_once_and_its_result_validated_once():
    data = reply_bytes(3)

    first, again = read_reply(data), read_reply(bytes(data))

    assert again is first
    assert again.result_as(SeasonList) is first.result_as(SeasonList)
    assert first.result_as(SeasonList).current == "1000-00"


def test_a_reply_larger_than_those_remembered_is_read_each_time():
    data = reply_bytes(2000)
    assert len(data) > LARGEST_REMEMBERED_REPLY

    first, again = read_reply(data), read_reply(data)

    assert again is not first and again == first


def test_a_reply_whose_result_was_validated_still_equals_the_same_reply():
    data = reply_bytes(4)
    validated, fresh = read_reply(data), Reply.model_validate(pydantic_core.from_json(data))

    validated.result_as(SeasonList)

    assert validated == fresh and fresh == validated
