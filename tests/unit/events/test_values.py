"""The contract's limits: what a name, a whole number and an update may be, for every sender."""

import pytest
from pydantic import ValidationError

from events.values import LARGEST_NUMBER, Player, PlayerChanges


def player(**given: object) -> Player:
    fields = {"name": "Harry Kane", "club": "Tottenham", "nationality": "England"}
    return Player.model_validate({**fields, "position": "Forward", **given})


@pytest.mark.parametrize(
    "name", ["Harry Kane", "N'Golo Kanté", "Son Heung-min", "2", "Müller (II)", "李a"]
)
def test_a_name_with_an_ascii_letter_or_digit_is_a_name(name):
    assert player(name=name).name == name


@pytest.mark.parametrize(
    "name", ["", "?!", "é", "李", " Kane", "Kane ", "Kane\u00a0", "Ka\x00ne", "Kane\n", "K" * 101]
)
def test_a_name_without_one_or_with_white_space_at_an_end_or_a_control_character_is_refused(name):
    with pytest.raises(ValidationError, match="name"):
        player(name=name)


@pytest.mark.parametrize("price", [0, 25, 25.0, LARGEST_NUMBER])
def test_a_whole_number_may_be_written_with_a_zero_fraction(price):
    assert player(price=price).price == int(price)


@pytest.mark.parametrize("price", [False, True, "25", 25.5, -1, LARGEST_NUMBER + 1, None])
def test_a_boolean_a_string_a_fraction_or_a_number_out_of_range_is_not_a_count(price):
    with pytest.raises(ValidationError, match="price"):
        player(price=price)


@pytest.mark.parametrize("price", [True, "25", None, [25]])
def test_what_is_not_a_json_number_is_refused_as_such(price):
    with pytest.raises(ValidationError, match="whole number, not a string or a boolean"):
        player(price=price)


def test_a_count_from_json_text_is_checked_as_from_a_value():
    text = '{"name": "Harry Kane", "club": "Tottenham", "nationality": "England", '
    assert Player.model_validate_json(text + '"position": "Forward", "goals": 30.0}').goals == 30
    for goals in ("true", '"30"', "30.5", "-1"):
        with pytest.raises(ValidationError, match="goals"):
            Player.model_validate_json(text + f'"position": "Forward", "goals": {goals}}}')


def test_a_change_needs_at_least_one_field_that_is_not_null():
    assert PlayerChanges(goals=0).goals == 0
    with pytest.raises(ValidationError, match="changes nothing"):
        PlayerChanges()
    with pytest.raises(ValidationError, match="changes nothing"):
        PlayerChanges(goals=None)
