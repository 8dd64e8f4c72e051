"""The stats rules: scores, rankings, the league table's order and which season a query means."""

import pytest
from pydantic import ValidationError

from events.commands import (
    GetBestPlayers,
    GetClub,
    GetLeagueTable,
    GetTopPlayers,
    ListPlayers,
    ListSeasons,
)
from events.replies import NotFound
from services.stats import handlers
from services.stats.read_model import ReadModel
from services.stats.scoring import SCORED_POSITIONS, deciding_figure, score
from services.workers.reader import LeagueReader
from tests.unit.workers.fakes import FakeReader, FakeStore, club, context, player


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    for row in (club("Chelsea"), club("Liverpool")):
        store.add_club("2018-19", row)
    for figures in (
        player("Hazard", "Chelsea", "Forward", goals=16, assists=15),
        player("Giroud", "Chelsea", "Forward", goals=2, assists=5),
        player("Kante", "Chelsea", "Midfielder", passes=1500, assists=4),
        player("Rudiger", "Chelsea", "Defender", interceptions=40, tackles=50),
        player("Kepa", "Chelsea", "Goalkeeper"),
        player("Salah", "Liverpool", "Forward", goals=22, assists=8),
        player("Mane", "Liverpool", "Forward", goals=22, assists=1),
        player("Firmino", "Liverpool", "Forward", goals=12, assists=6),
    ):
        store.add_player("2018-19", figures)
    return store


@pytest.fixture(params=["firestore", "read model"])
def reader(store: FakeStore, request: pytest.FixtureRequest) -> LeagueReader:
    """Every rule holds whether the stats worker reads Firestore or its read model over it."""
    direct = FakeReader(store)
    return direct if request.param == "firestore" else ReadModel(direct)


def test_a_defender_scores_half_his_interceptions_plus_half_his_tackles():
    assert score(player("A", "X", "Defender", interceptions=41, tackles=50)) == 45.5


def test_a_midfielder_scores_seven_tenths_of_passes_plus_three_tenths_of_assists():
    assert score(player("A", "X", "Midfielder", passes=1000, assists=7)) == 702.1


def test_a_forward_scores_seven_tenths_of_goals_plus_three_tenths_of_assists():
    assert score(player("A", "X", "Forward", goals=22, assists=8)) == 17.8


def test_top_players_are_the_best_three_of_the_position_across_the_league(reader):
    top = handlers.get_top_players(GetTopPlayers(position="Forward"), context(), reader)
    assert [(p.name, p.score) for p in top.players] == [
        ("Salah", 17.8),
        ("Mane", 15.7),
        ("Hazard", 15.7),
    ]


def test_a_forwards_tie_goes_to_the_one_with_more_goals_so_mane_ranks_above_hazard(reader):
    # The original's own figures: 22*0.7 + 1*0.3 and 16*0.7 + 15*0.3 are both 15.7, exactly.
    top = handlers.get_top_players(GetTopPlayers(position="Forward", count=3), context(), reader)
    mane, hazard = top.players[1:]
    assert (mane.name, mane.goals, mane.assists) == ("Mane", 22, 1)
    assert (hazard.name, hazard.goals, hazard.assists) == ("Hazard", 16, 15)
    assert mane.score == hazard.score


def test_a_midfielders_tie_goes_to_the_one_with_more_passes(reader, store):
    store.add_player("2018-19", player("Barkley", "Chelsea", "Midfielder", passes=1497, assists=11))
    top = handlers.get_top_players(GetTopPlayers(position="Midfielder"), context(), reader)
    assert [(p.name, p.score) for p in top.players] == [("Kante", 1051.2), ("Barkley", 1051.2)]


def test_a_defenders_tie_goes_to_the_one_with_more_interceptions(reader, store):
    store.add_player(
        "2018-19", player("Zouma", "Chelsea", "Defender", interceptions=50, tackles=40)
    )
    top = handlers.get_top_players(GetTopPlayers(position="Defender"), context(), reader)
    assert [(p.name, p.score) for p in top.players] == [("Zouma", 45.0), ("Rudiger", 45.0)]


def test_the_figure_deciding_a_tie_is_the_heaviest_of_each_formula():
    deciding = {position: deciding_figure(position) for position in SCORED_POSITIONS}
    assert deciding == {"Defender": "interceptions", "Midfielder": "passes", "Forward": "goals"}


def test_equal_scores_and_equal_deciding_figures_are_ordered_by_name(reader, store):
    store.add_player("2018-19", player("Aubameyang", "Chelsea", goals=22, assists=1))
    top = handlers.get_top_players(GetTopPlayers(position="Forward", count=5), context(), reader)
    assert [p.name for p in top.players] == ["Salah", "Aubameyang", "Mane", "Hazard", "Firmino"]


@pytest.mark.parametrize("position", ["Goalkeeper", "Striker"])
def test_a_position_without_a_score_cannot_be_asked_for_and_the_valid_ones_are_named(position):
    with pytest.raises(ValidationError, match="'Defender', 'Midfielder' or 'Forward'"):
        GetTopPlayers(position=position)


def test_the_best_players_of_a_club_are_its_best_defender_midfielder_and_forward(reader):
    best = handlers.get_best_players(GetBestPlayers(club="Chelsea"), context(), reader)
    assert [(p.position, p.name) for p in best.players] == [
        ("Defender", "Rudiger"),
        ("Midfielder", "Kante"),
        ("Forward", "Hazard"),
    ]


def test_a_clubs_best_player_of_a_position_is_decided_by_the_same_tie_rule(reader, store):
    store.add_player("2018-19", player("Zola", "Chelsea", "Forward", goals=22, assists=1))
    best = handlers.get_best_players(GetBestPlayers(club="Chelsea"), context(), reader)
    assert [(p.name, p.score) for p in best.players if p.position == "Forward"] == [("Zola", 15.7)]


def test_best_players_leave_out_a_position_the_club_has_none_of(reader):
    best = handlers.get_best_players(GetBestPlayers(club="Liverpool"), context(), reader)
    assert [p.name for p in best.players] == ["Salah"]


def test_best_players_of_an_unknown_club_are_not_found(reader):
    with pytest.raises(NotFound, match="Arsenal"):
        handlers.get_best_players(GetBestPlayers(club="Arsenal"), context(), reader)


def test_a_club_is_what_the_table_the_squad_and_the_best_players_say_of_it(reader):
    asked = {"season": "2018-19", "club": "chelsea"}

    view = handlers.get_club(GetClub(**asked), context(), reader)

    table = handlers.get_league_table(GetLeagueTable(season="2018-19"), context(), reader)
    squad = handlers.list_players(ListPlayers(**asked, limit=1000), context(), reader)
    best = handlers.get_best_players(GetBestPlayers(**asked), context(), reader)
    assert view.season == "2018-19"
    assert view.standing == next(row for row in table.rows if row.club == "Chelsea")
    assert view.players == squad.players
    assert view.best_players == best.players
    assert view.clubs == [row.club for row in table.rows]
    assert view.seasons == handlers.list_seasons(ListSeasons(), context(), reader)


def test_a_club_that_is_not_in_the_season_is_not_found_by_name(reader):
    with pytest.raises(NotFound, match="season 2018-19 has no club 'Arsenal'"):
        handlers.get_club(GetClub(club="Arsenal"), context(), reader)


def test_the_table_is_ordered_by_points_then_goal_difference_then_goals_for_then_name(store):
    store.documents.clear()
    rows = [
        club("Wolves", points=57, goal_difference=1, goals_for=47),
        club("Everton", points=54, goal_difference=8, goals_for=54),
        club("Leicester", points=52, goal_difference=3, goals_for=51),
        club("West Ham", points=52, goal_difference=-3, goals_for=52),
        club("Watford", points=50, goal_difference=-7, goals_for=52),
        club("Crystal Palace", points=50, goal_difference=-7, goals_for=51),
        club("Bournemouth", points=45, goal_difference=-14, goals_for=56),
        club("Arsenal", points=45, goal_difference=-14, goals_for=56),
    ]
    for row in reversed(rows):
        store.add_club("2018-19", row)
    table = handlers.get_league_table(GetLeagueTable(), context(), FakeReader(store))
    expected = [
        "Wolves", "Everton", "Leicester", "West Ham", "Watford", "Crystal Palace", "Arsenal",
        "Bournemouth",
    ]  # fmt: skip
    assert [row.club for row in table.rows] == expected


def test_the_table_carries_each_clubs_capital(store, reader):
    store.add_club("2018-19", club("Chelsea", capital=40))
    table = handlers.get_league_table(GetLeagueTable(), context(), reader)
    assert {row.club: row.capital for row in table.rows} == {"Chelsea": 40, "Liverpool": 100}


def test_a_query_without_a_season_means_the_greatest_season_id(store, reader):
    store.add_club("2019-20", club("Leeds"))
    table = handlers.get_league_table(GetLeagueTable(), context(), reader)
    assert table.season == "2019-20" and [r.club for r in table.rows] == ["Leeds"]


def test_the_configured_season_is_current_when_set(store):
    store.add_club("2019-20", club("Leeds"))
    reader = FakeReader(store, configured_season="2018-19")
    assert handlers.get_league_table(GetLeagueTable(), context(), reader).season == "2018-19"
    seasons = handlers.list_seasons(ListSeasons(), context(), reader)
    assert seasons.seasons == ["2018-19", "2019-20"] and seasons.current == "2018-19"


def test_an_unknown_season_is_not_found_and_the_known_ones_are_named(reader):
    with pytest.raises(NotFound, match="2018-19"):
        handlers.get_league_table(GetLeagueTable(season="1999-00"), context(), reader)


def test_a_query_before_any_season_is_loaded_is_not_found():
    with pytest.raises(NotFound, match="no season"):
        handlers.get_league_table(GetLeagueTable(), context(), FakeReader(FakeStore()))


def test_players_of_a_club_are_listed_by_name(reader):
    listed = handlers.list_players(ListPlayers(club="Liverpool"), context(), reader)
    assert [p.name for p in listed.players] == ["Firmino", "Mane", "Salah"]
    assert listed.total == 3


def test_players_of_a_position_within_a_club(reader):
    listed = handlers.list_players(
        ListPlayers(club="chelsea", position="Forward"), context(), reader
    )
    assert [p.name for p in listed.players] == ["Giroud", "Hazard"]


def test_players_of_a_position_across_the_league_come_a_page_at_a_time(reader):
    command = ListPlayers(position="Forward", offset=1, limit=2)
    listed = handlers.list_players(command, context(), reader)
    assert [p.name for p in listed.players] == ["Hazard", "Firmino"]
    assert listed.total == 5


def test_players_of_an_unknown_club_are_not_found(reader):
    with pytest.raises(NotFound, match="Arsenal"):
        handlers.list_players(ListPlayers(club="Arsenal"), context(), reader)
