"""The web page: readable without JavaScript, and forms that say what happened."""

from urllib.parse import parse_qs, urlsplit

from events.commands import (
    GetBestPlayers,
    GetLeagueTable,
    GetTopPlayers,
    ListPlayers,
    TransferPlayer,
)
from events.replies import Conflict
from events.values import PlayerList, ScoredPlayerList, TransferResult
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE, VAN_DIJK, scored


def serve_the_league(requester) -> None:
    requester.handlers[GetLeagueTable] = lambda c: TABLE
    requester.handlers[GetTopPlayers] = lambda c: ScoredPlayerList(
        season=SEASON, players=[scored(SALAH)]
    )
    requester.handlers[ListPlayers] = lambda c: PlayerList(
        season=SEASON, players=[SALAH, VAN_DIJK], total=2
    )
    requester.handlers[GetBestPlayers] = lambda c: ScoredPlayerList(
        season=SEASON, players=[scored(VAN_DIJK, 42.0)]
    )


def message_of(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["location"]).query)


def test_the_home_page_shows_the_table_with_capital_and_the_top_players(client, requester):
    serve_the_league(requester)

    page = client.get("/")

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert 'href="/clubs/Manchester%20City"' in page.text
    assert '<td class="num capital">300</td>' in page.text
    assert "Mohamed Salah" in page.text
    assert "<script" not in page.text


def test_the_home_page_says_so_when_no_season_is_there(client):
    page = client.get("/")

    assert page.status_code == 504
    assert "no reply to GetLeagueTable" in page.text


def test_a_club_page_shows_the_squad_and_its_best_player_per_position(client, requester):
    serve_the_league(requester)

    page = client.get("/clubs/Liverpool")

    assert page.status_code == 200
    assert "Virgil van Dijk</strong>" in page.text
    assert "score 42.0" in page.text
    assert "Squad (2 players)" in page.text


def test_a_transfer_from_the_page_goes_to_the_buyer_with_a_notice(client, requester):
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip
    form = {
        "player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Manchester City",
        "back": "/clubs/Liverpool", "form_key": "k1",
    }  # fmt: skip

    response = client.post("/forms/transfers", data=form)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/clubs/Manchester%20City?")
    assert "moved from Liverpool to Manchester City" in message_of(response)["notice"][0]
    assert requester.last().command_id is not None


def test_a_refused_transfer_goes_back_with_the_reason(client, requester):
    def refuse(command):
        raise Conflict("Manchester City cannot afford 150")

    requester.handlers[TransferPlayer] = refuse
    form = {"player": "X", "from_club": "Liverpool", "to_club": "Manchester City", "back": "/"}

    response = client.post("/forms/transfers", data=form)

    assert response.headers["location"].startswith("/?")
    assert message_of(response)["problem"] == ["Manchester City cannot afford 150"]


def test_a_bad_figure_in_the_create_form_is_explained_without_asking_the_bus(client, requester):
    form = {"name": "New Boy", "club": "Liverpool", "nationality": "England",
            "position": "Forward", "goals": "-3", "back": "/"}  # fmt: skip

    response = client.post("/forms/players", data=form)

    assert "goals" in message_of(response)["problem"][0]
    assert requester.sent == []


def test_a_form_never_sends_the_browser_to_another_site(client, requester):
    form = {"club": "", "name": "", "back": "//evil.example/"}

    response = client.post("/forms/players/delete", data=form)

    assert response.headers["location"].startswith("/?")


def test_a_notice_in_the_address_is_shown_as_text_not_html(client, requester):
    serve_the_league(requester)

    page = client.get("/", params={"notice": "<b>done</b>"})

    assert "&lt;b&gt;done&lt;/b&gt;" in page.text
