"""The loader's decisions, on fakes: load once, reject whole, ignore what is stale."""

from dataclasses import dataclass, field

import pytest

from events.domain_events import SeasonFileLoaded
from events.settings import Settings
from ingest.bootstrap import bootstrap
from ingest.loader import Ingest, load_season_file
from ingest.model import LoadedFile, SeasonObject, season_object
from tests.unit.ingest.fakes import FakeObjectSource, FakePublisher, FakeSeasonStore

NAME = "seasons/2018-19/Liverpool.csv"
GOOD = "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135\n"
BAD = GOOD + "Liverpool,Sadio Mane,Senegal,Winger,36,22,1,1184,15,34,34,76\n"


@dataclass
class Fakes:
    objects: FakeObjectSource = field(default_factory=FakeObjectSource)
    store: FakeSeasonStore = field(default_factory=FakeSeasonStore)
    publisher: FakePublisher = field(default_factory=FakePublisher)


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def deps(fakes: Fakes) -> Ingest:
    return bootstrap(
        Settings(), objects=fakes.objects, store=fakes.store, publisher=fakes.publisher
    )


def upload(deps: Ingest, content: str, generation: int = 1, name: str = NAME) -> SeasonObject:
    assert isinstance(deps.objects, FakeObjectSource)
    deps.objects.add(name, generation, content)
    found = season_object("bucket", name, generation)
    assert found is not None
    return found


def test_a_good_file_is_loaded_reported_and_announced(deps: Ingest, fakes: Fakes) -> None:
    report = load_season_file(upload(deps, GOOD, generation=7), deps)
    assert (report.status, report.rows, report.club) == ("loaded", 1, "Liverpool")
    assert fakes.publisher.published == [
        (
            f"season-file-loaded--{report.report_id}",
            SeasonFileLoaded(
                season="2018-19", file="Liverpool.csv", club="Liverpool", rows=1, generation=7
            ),
        )
    ]


def test_a_bad_file_is_reported_with_its_lines_and_nothing_is_written(
    deps: Ingest, fakes: Fakes
) -> None:
    report = load_season_file(upload(deps, BAD), deps)
    assert report.status == "rejected"
    assert [(error.line, error.reason.split(" must")[0]) for error in report.errors] == [
        (2, "position")
    ]
    assert fakes.store.loads == []
    assert fakes.publisher.published == []
    assert deps.store.report(report.report_id) == report


def test_the_same_event_twice_loads_and_announces_once(deps: Ingest, fakes: Fakes) -> None:
    uploaded = upload(deps, GOOD)
    first = load_season_file(uploaded, deps)
    assert load_season_file(uploaded, deps) == first
    assert len(fakes.store.loads) == 1
    assert len(fakes.publisher.published) == 1


def test_an_older_generation_after_a_newer_one_is_ignored(deps: Ingest, fakes: Fakes) -> None:
    load_season_file(upload(deps, GOOD, generation=2), deps)
    report = load_season_file(upload(deps, BAD, generation=1), deps)
    assert report.status == "ignored"
    assert "generation 2" in (report.reason or "")
    assert len(fakes.store.loads) == 1


def test_a_load_overtaken_by_a_newer_generation_is_ignored_and_not_announced(
    deps: Ingest, fakes: Fakes
) -> None:
    fakes.store.claims[("2018-19", "Liverpool.csv")] = 5
    report = load_season_file(upload(deps, GOOD, generation=4), deps)
    assert report.status == "ignored"
    assert "generation 5 of this file is newer" in (report.reason or "")
    assert fakes.store.loads == []
    assert fakes.publisher.published == []


def test_a_load_whose_report_was_lost_is_announced_again_without_reloading(
    deps: Ingest, fakes: Fakes
) -> None:
    uploaded = upload(deps, GOOD, generation=3)
    fakes.store.files[("2018-19", "Liverpool.csv")] = LoadedFile(3, 1, "Liverpool")
    assert load_season_file(uploaded, deps).status == "loaded"
    assert fakes.store.loads == []
    assert len(fakes.publisher.published) == 1


def test_a_generation_that_no_longer_exists_is_ignored(deps: Ingest) -> None:
    gone = season_object("bucket", NAME, 99)
    assert gone is not None
    assert load_season_file(gone, deps).status == "ignored"


@pytest.mark.parametrize(
    "name", ["Liverpool.csv", "seasons/2018-19/notes.txt", "seasons/2018-19/a/b.csv", "seasons/x"]
)
def test_objects_outside_seasons_folders_are_not_season_files(name: str) -> None:
    assert season_object("bucket", name, 1) is None


def test_a_wholly_bad_file_is_reported_with_its_first_lines_and_the_count_of_all(
    deps: Ingest, fakes: Fakes
) -> None:
    report = load_season_file(upload(deps, BAD.splitlines(keepends=True)[1] * 1_000), deps)
    assert (report.status, report.error_count, len(report.errors)) == ("rejected", 1_000, 100)
    assert report.reason == "1000 bad line(s): nothing of the file was written"
    assert fakes.store.loads == []


def test_files_are_counted_by_outcome_with_the_rows_they_loaded(deps: Ingest) -> None:
    uploaded = upload(deps, GOOD, generation=2)
    load_season_file(uploaded, deps)
    load_season_file(uploaded, deps)  # a redelivery: handled before, not counted again
    load_season_file(upload(deps, BAD, generation=3), deps)

    sample = deps.metrics.registry.get_sample_value
    files = {
        status: sample("league_ingest_files_total", {"status": status})
        for status in ("loaded", "rejected", "ignored")
    }
    assert files == {"loaded": 1, "rejected": 1, "ignored": 0}
    assert sample("league_ingest_rows_total") == 1
    assert sample("league_ingest_load_seconds_count") == 3
