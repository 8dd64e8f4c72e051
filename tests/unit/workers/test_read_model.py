"""The stats read model: reads from memory, what the events mark stale read again, clubs a read
names read afresh, and never anything older than its maximum age."""

from typing import Any

import pytest

from events.commands import GetClub, GetTopPlayers
from events.domain_events import PlayerCreated, PlayerTransferred, SeasonFileLoaded
from events.envelope import EVERY_CLUB
from events.values import ClubView, Player
from events.waiting import MustWait, on_the_loop, would_wait
from services.stats import handlers
from services.stats.event_feed import apply
from services.stats.read_model import ReadModel
from services.workers.documents import Document
from tests.unit.workers.fakes import FakeReader, FakeStore, club, context, player

SEASON = "2018-19"


class CountingReader(FakeReader):
    """Firestore as the model sees it, counting the queries it is asked."""

    queries = 0

    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        self.queries += 1
        return super()._query(collection, equal)


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    for row in (club("Chelsea"), club("Liverpool")):
        store.add_club(SEASON, row)
    store.add_player(SEASON, player("Hazard", "Chelsea", goals=16))
    store.add_player(SEASON, player("Salah", "Liverpool", goals=22))
    return store


@pytest.fixture
def source(store: FakeStore) -> CountingReader:
    return CountingReader(store)


@pytest.fixture
def model(source: CountingReader) -> ReadModel:
    return ReadModel(source)


def names(model: ReadModel, club_name: str | None = None) -> set[str]:
    return {p.name for p in model.players(SEASON, club=club_name)}


def test_a_season_read_once_is_answered_from_memory(model, source):
    assert names(model) == {"Hazard", "Salah"}
    asked = source.queries

    for _ in range(5):
        assert names(model, "Liverpool") == {"Salah"}
        assert [row.club for row in model.clubs(SEASON)] == ["Chelsea", "Liverpool"]

    assert source.queries == asked


def test_a_change_nobody_announced_is_not_seen(model, store):
    names(model)
    store.add_player(SEASON, player("Mane", "Liverpool"))

    assert names(model, "Liverpool") == {"Salah"}


def test_the_clubs_an_event_names_are_read_again_and_only_they(model, store, source):
    names(model)
    store.add_player(SEASON, player("Mane", "Liverpool"))
    apply(PlayerCreated(season=SEASON, player=player("Mane", "Liverpool")), model)
    asked = source.queries

    assert names(model) == {"Hazard", "Salah", "Mane"}
    assert source.queries - asked == 1  # Liverpool's squad; Chelsea stayed in memory


def test_a_transfer_marks_both_clubs_stale(model, store):
    names(model)
    store.documents.pop("seasons/2018-19/players/liverpool--salah")
    store.add_player(SEASON, player("Salah", "Chelsea", goals=22))
    transferred = PlayerTransferred(
        season=SEASON, player="Salah", price=1, from_club="Liverpool", from_club_capital=101,
        to_club="Chelsea", to_club_capital=99,
    )  # fmt: skip
    apply(transferred, model)

    assert names(model, "Chelsea") == {"Hazard", "Salah"}
    assert names(model, "Liverpool") == set()


def test_a_loaded_season_file_drops_the_season_and_the_season_list(model, store):
    assert model.seasons() == [SEASON]
    names(model)
    store.add_club("2019-20", club("Arsenal"))
    store.add_player(SEASON, player("Mane", "Liverpool"))
    table = SeasonFileLoaded(season="2019-20", file="T.csv", club=None, rows=1, generation=1)
    club_file = SeasonFileLoaded(
        season=SEASON, file="L.csv", club="Liverpool", rows=2, generation=2
    )
    apply(table, model)
    apply(club_file, model)

    assert model.seasons() == [SEASON, "2019-20"]
    assert names(model, "Liverpool") == {"Salah", "Mane"}


def test_a_read_that_names_a_club_afresh_sees_it_as_it_is_now(model, store):
    names(model)
    store.add_player(SEASON, player("Mane", "Liverpool"))

    with model.fresh({"liverpool"}):
        assert names(model) == {"Hazard", "Salah", "Mane"}
    assert names(model, "Liverpool") == {"Salah", "Mane"}  # and the model keeps what it read


def test_every_club_afresh_reads_each_club_again(model, store):
    names(model)
    store.add_player(SEASON, player("Willian", "Chelsea"))
    store.add_player(SEASON, player("Mane", "Liverpool"))

    with model.fresh({EVERY_CLUB}):
        assert names(model) == {"Hazard", "Willian", "Salah", "Mane"}


def test_a_club_read_afresh_since_the_read_arrived_is_not_read_again(model, source):
    names(model)
    with model.fresh({"liverpool"}):
        names(model, "Liverpool")
        asked = source.queries
        names(model, "Liverpool")

    assert source.queries == asked


def test_a_season_older_than_the_maximum_age_is_read_again(store, source, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("services.stats.read_model.time.monotonic", lambda: now[0])
    model = ReadModel(source, max_age=300)
    names(model)
    store.add_player(SEASON, player("Mane", "Liverpool"))

    now[0] += 299
    assert "Mane" not in names(model)
    now[0] += 2
    assert "Mane" in names(model)


def test_every_club_afresh_reads_the_season_list_again_too(model, store):
    assert model.seasons() == [SEASON]
    store.add_club("2019-20", club("Arsenal"))

    assert model.seasons() == [SEASON]
    with model.fresh({EVERY_CLUB}):
        assert model.seasons() == [SEASON, "2019-20"]


def test_after_events_went_unheard_everything_is_read_again(model, store):
    """The feed subscribes again after its subscription vanished: what changed meanwhile shows."""
    assert names(model) == {"Hazard", "Salah"}
    store.add_player(SEASON, player("Kante", "Chelsea", goals=4))  # its event never heard
    assert names(model) == {"Hazard", "Salah"}

    model.everything_changed()

    assert names(model) == {"Hazard", "Kante", "Salah"}
    assert model.seasons() == [SEASON]


def test_a_read_wanting_every_club_afresh_sees_clubs_added_behind_the_models_back(model, store):
    """`Cache-Control: no-cache` after a season was restored straight into Firestore: clubs the
    model never held are read too, not only those it holds."""
    assert names(model) == {"Hazard", "Salah"}
    store.add_club(SEASON, club("Arsenal"))
    store.add_player(SEASON, player("Saka", "Arsenal", goals=5))

    with model.fresh({EVERY_CLUB}):
        assert names(model, "Arsenal") == {"Saka"}
        assert model.club(SEASON, "Arsenal") is not None


class CountingRank:
    """A rank by goals, most first, counting the players it is asked to place."""

    placed = 0

    def __call__(self, one: Player) -> int:
        self.placed += 1
        return -one.goals


def ranked_names(model: ReadModel, rank: CountingRank) -> list[str]:
    return [p.name for p in model.ranked(SEASON, "Forward", rank)]


def test_a_ranking_is_made_once_and_kept_while_its_clubs_are_unchanged(model):
    rank = CountingRank()

    assert ranked_names(model, rank) == ["Salah", "Hazard"]
    placed = rank.placed
    for _ in range(5):
        assert ranked_names(model, rank) == ["Salah", "Hazard"]

    assert placed == 2 and rank.placed == placed


def test_a_ranking_is_made_again_once_an_event_has_a_club_read_again(model, store):
    rank = CountingRank()
    ranked_names(model, rank)
    store.add_player(SEASON, player("Mane", "Liverpool", goals=30))
    apply(PlayerCreated(season=SEASON, player=player("Mane", "Liverpool", goals=30)), model)

    assert ranked_names(model, rank) == ["Mane", "Salah", "Hazard"]


def test_a_read_naming_a_club_afresh_ranks_it_as_it_is_now(model, store):
    rank = CountingRank()
    ranked_names(model, rank)
    store.add_player(SEASON, player("Willian", "Chelsea", goals=40))

    with model.fresh({"chelsea"}):
        assert ranked_names(model, rank) == ["Willian", "Salah", "Hazard"]
    assert ranked_names(model, rank) == ["Willian", "Salah", "Hazard"]


def club_page(model: ReadModel, club_name: str = "Chelsea") -> ClubView:
    return handlers.get_club(GetClub(season=SEASON, club=club_name), context(), model)


def test_a_club_page_is_made_once_and_kept_while_its_clubs_are_unchanged(model, monkeypatch):
    first = club_page(model)
    monkeypatch.setattr(handlers, "_best_of", lambda squad: pytest.fail("made again"))

    assert club_page(model) == first


def test_a_club_page_made_before_an_event_shows_what_the_event_changed(model, store):
    club_page(model)
    store.add_player(SEASON, player("Willian", "Chelsea", goals=40))
    apply(PlayerCreated(season=SEASON, player=player("Willian", "Chelsea", goals=40)), model)

    page = club_page(model)

    assert [p.name for p in page.players] == ["Hazard", "Willian"]
    assert [p.name for p in page.best_players] == ["Willian"]


def test_a_club_page_read_afresh_shows_the_club_as_it_is_now(model, store):
    club_page(model)
    store.add_player(SEASON, player("Willian", "Chelsea", goals=40))

    with model.fresh({"chelsea"}):
        assert [p.name for p in club_page(model).players] == ["Hazard", "Willian"]


def test_a_kept_club_page_still_lists_a_season_loaded_since(model, store):
    club_page(model)
    store.add_club("2019-20", club("Chelsea"))
    loaded = SeasonFileLoaded(season="2019-20", file="T.csv", club=None, rows=1, generation=1)
    apply(loaded, model)

    assert club_page(model).seasons.seasons == ["2018-19", "2019-20"]


def test_top_players_made_before_an_event_show_what_the_event_changed(model, store):
    def top() -> list[str]:
        command = GetTopPlayers(season=SEASON, position="Forward", count=2)
        return [p.name for p in handlers.get_top_players(command, context(), model).players]

    assert top() == ["Salah", "Hazard"]
    store.add_player(SEASON, player("Mane", "Liverpool", goals=30))
    apply(PlayerCreated(season=SEASON, player=player("Mane", "Liverpool", goals=30)), model)

    assert top() == ["Mane", "Salah"]


class FirestoreLikeReader(CountingReader):
    """Waits on each query, as Firestore does: refused on a worker's loop (events/waiting.py)."""

    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        would_wait("firestore query")
        return super()._query(collection, equal)


def test_on_the_loop_a_read_that_must_load_the_season_is_refused_and_holds_nothing_half_read(
    store,
):
    model = ReadModel(FirestoreLikeReader(store))

    with on_the_loop(), pytest.raises(MustWait):
        names(model)

    assert names(model) == {"Hazard", "Salah"}  # on a thread
    with on_the_loop():
        assert names(model) == {"Hazard", "Salah"}  # then from memory, on the loop


def test_a_stale_club_whose_reload_was_refused_on_the_loop_is_still_read_again(store):
    model = ReadModel(FirestoreLikeReader(store))
    names(model)
    store.add_player(SEASON, player("Kante", "Chelsea"))
    model.clubs_changed(SEASON, ["Chelsea"])

    with on_the_loop(), pytest.raises(MustWait):
        names(model, "Chelsea")

    assert names(model, "Chelsea") == {"Hazard", "Kante"}
