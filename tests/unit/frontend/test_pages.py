"""The web page: readable without JavaScript, and forms that say what happened (to a reader
signed in: test_page_security.py shows the rest)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from events.commands import (
    CreatePlayer,
    DeletePlayer,
    GetClub,
    GetLeagueTable,
    GetTopPlayers,
    ListSeasons,
    TransferPlayer,
)
from events.replies import Conflict, NotFound
from events.values import (
    ClubView,
    PlayerDeletion,
    PlayerResult,
    ScoredPlayerList,
    SeasonList,
    TransferResult,
)
from services.frontend.routers import pages
from tests.unit.frontend.conftest import SignedIn, mint
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE, VAN_DIJK, scored

EARLIER = "2017-18"


def serve_the_league(requester) -> None:
    """Every season has the same clubs and players here; each answer names the season asked."""
    seasons = SeasonList(seasons=[EARLIER, SEASON], current=SEASON)
    requester.handlers[ListSeasons] = lambda c: seasons
    requester.handlers[GetLeagueTable] = lambda c: TABLE.model_copy(
        update={"season": c.season or SEASON}
    )
    requester.handlers[GetTopPlayers] = lambda c: ScoredPlayerList(
        season=c.season or SEASON, players=[scored(SALAH)]
    )

    def club(command: GetClub) -> ClubView:
        season = command.season or SEASON
        for row in TABLE.rows:
            if row.club == command.club:
                return ClubView(
                    season=season,
                    standing=row,
                    players=[SALAH, VAN_DIJK],
                    best_players=[scored(VAN_DIJK, 42.0)],
                    clubs=[row.club for row in TABLE.rows],
                    seasons=seasons,
                )
        raise NotFound(f"season {season} has no club {command.club!r}")

    requester.handlers[GetClub] = club


def seasons_asked(requester) -> set[str | None]:
    return {getattr(sent.command, "season", "no season field") for sent in requester.sent}


def message_of(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["location"]).query)


def test_the_home_page_shows_the_table_with_capital_and_the_top_players(browser, requester):
    serve_the_league(requester)

    page = browser.get("/")

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert 'href="/clubs/Manchester%20City"' in page.text
    assert '<td class="num capital">300</td>' in page.text
    assert "Mohamed Salah" in page.text
    assert "<script" not in page.text


def test_the_home_page_says_so_when_no_season_is_there(browser):
    page = browser.get("/")

    assert page.status_code == 504
    assert "no reply to GetLeagueTable" in page.text


def test_a_club_page_shows_the_squad_and_its_best_player_per_position(browser, requester):
    serve_the_league(requester)

    page = browser.get("/clubs/Liverpool")

    assert page.status_code == 200
    assert "Virgil van Dijk</strong>" in page.text
    assert "score 42.0" in page.text
    assert "Squad (2 players)" in page.text


def test_a_transfer_from_the_page_goes_to_the_buyer_with_a_notice(browser, requester):
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip
    form = {
        "player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Manchester City",
        "back": "/clubs/Liverpool", "form_key": "k1",
    }  # fmt: skip

    response = browser.post("/forms/transfers", data=form)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/clubs/Manchester%20City?")
    assert "moved from Liverpool to Manchester City" in message_of(response)["notice"][0]
    assert requester.last().command_id is not None


def test_a_refused_transfer_goes_back_with_the_reason(browser, requester):
    def refuse(command):
        raise Conflict("Manchester City cannot afford 150")

    requester.handlers[TransferPlayer] = refuse
    form = {"player": "X", "from_club": "Liverpool", "to_club": "Manchester City", "back": "/"}

    response = browser.post("/forms/transfers", data=form)

    assert response.headers["location"].startswith("/?")
    assert message_of(response)["problem"] == ["Manchester City cannot afford 150"]


def test_the_create_forms_figures_are_sent_as_the_numbers_they_say(browser, requester):
    requester.handlers[CreatePlayer] = lambda c: PlayerResult(season=SEASON, player=c.player)
    form = {"name": "New Boy", "club": "Liverpool", "nationality": "England",
            "position": "Forward", "goals": "13", "price": "25", "back": "/"}  # fmt: skip

    response = browser.post("/forms/players", data=form)

    assert "notice" in message_of(response)
    assert (requester.last().command.player.goals, requester.last().command.player.price) == (
        13,
        25,
    )


def test_a_bad_figure_in_the_create_form_is_explained_without_asking_the_bus(browser, requester):
    form = {"name": "New Boy", "club": "Liverpool", "nationality": "England",
            "position": "Forward", "goals": "-3", "back": "/"}  # fmt: skip

    response = browser.post("/forms/players", data=form)

    assert "goals" in message_of(response)["problem"][0]
    assert requester.sent == []


def test_a_form_never_sends_the_browser_to_another_site(browser, requester):
    form = {"club": "", "name": "", "back": "//evil.example/"}

    response = browser.post("/forms/players/delete", data=form)

    assert response.headers["location"].startswith("/?")


def test_a_notice_in_the_address_is_shown_as_text_not_html(browser, requester):
    serve_the_league(requester)

    page = browser.get("/", params={"notice": "<b>done</b>"})

    assert "&lt;b&gt;done&lt;/b&gt;" in page.text


def test_the_season_picker_lists_the_loaded_seasons_and_selects_the_one_shown(browser, requester):
    serve_the_league(requester)

    page = browser.get("/")

    assert '<form method="get" action="/" class="inline" id="season-picker">' in page.text
    assert f'<option value="{EARLIER}">{EARLIER}</option>' in page.text
    assert f'<option value="{SEASON}" selected>{SEASON} (current)</option>' in page.text
    assert "season=" not in page.text  # nothing picked: every link means the current season


def test_a_picked_season_is_the_one_asked_for_and_every_link_and_form_keeps_it(browser, requester):
    serve_the_league(requester)

    page = browser.get("/", params={"season": EARLIER, "position": "Defender"})

    assert page.status_code == 200
    assert seasons_asked(requester) == {EARLIER, "no season field"}  # ListSeasons has none
    assert f"<small>season {EARLIER}</small>" in page.text
    assert f'<option value="{EARLIER}" selected>' in page.text
    assert f'href="/clubs/Manchester%20City?season={EARLIER}"' in page.text  # the table
    assert f'href="/clubs/Liverpool?season={EARLIER}"' in page.text  # the top players
    assert f'href="/?season={EARLIER}#top-players"' in page.text  # the header
    season_field = f'<input type="hidden" name="season" value="{EARLIER}">'
    assert page.text.count(season_field) == 4  # top players, create, delete, transfer
    assert page.text.count(f'name="back" value="/?season={EARLIER}"') == 3


def test_a_club_page_of_a_picked_season_shows_that_season_and_keeps_it(browser, requester):
    serve_the_league(requester)

    page = browser.get("/clubs/Liverpool", params={"season": EARLIER})

    assert page.status_code == 200
    assert seasons_asked(requester) == {EARLIER}
    assert f"<small>season {EARLIER}</small>" in page.text
    assert page.text.count(f'name="back" value="/clubs/Liverpool?season={EARLIER}"') == 2
    assert page.text.count(f'<input type="hidden" name="season" value="{EARLIER}">') == 2
    assert f'<a href="/?season={EARLIER}">Back to the league table</a>' in page.text


def test_a_form_of_a_picked_season_acts_on_it_and_its_answer_stays_in_it(browser, requester):
    requester.handlers[CreatePlayer] = lambda c: PlayerResult(season=c.season, player=c.player)
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=c.season, club=c.club, name=c.name
    )
    new_player = {"name": "Mohamed Salah", "club": "Liverpool", "nationality": "Egypt",
                  "position": "Forward"}  # fmt: skip
    in_season = {"season": EARLIER, "back": f"/?season={EARLIER}", "form_key": "k2"}

    created = browser.post("/forms/players", data={**new_player, **in_season})
    deleted = browser.post("/forms/players/delete", data={**new_player, **in_season})

    assert [sent.command.season for sent in requester.sent] == [EARLIER, EARLIER]
    assert created.headers["location"].startswith(f"/clubs/Liverpool?season={EARLIER}&notice=")
    assert deleted.headers["location"].startswith(f"/?season={EARLIER}&notice=")


def test_a_transfer_of_a_picked_season_goes_to_the_buyer_in_that_season(browser, requester):
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=c.season, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Manchester City", to_club_capital=150,
    )  # fmt: skip
    form = {"player": "Mohamed Salah", "from_club": "Liverpool", "to_club": "Manchester City",
            "season": EARLIER, "back": f"/clubs/Liverpool?season={EARLIER}"}  # fmt: skip

    response = browser.post("/forms/transfers", data=form)

    assert requester.last().command.season == EARLIER
    location = response.headers["location"]
    assert location.startswith(f"/clubs/Manchester%20City?season={EARLIER}&notice=")


def test_an_anonymous_readers_club_page_is_rendered_once_while_its_club_is_unchanged(
    anonymous, requester, monkeypatch
):
    serve_the_league(requester)
    first = anonymous.get("/clubs/Liverpool")
    monkeypatch.setattr(pages.templates, "TemplateResponse", lambda *a, **k: pytest.fail("again"))

    again = anonymous.get("/clubs/Liverpool")

    assert again.status_code == 200 and again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]


def test_a_club_page_kept_for_anonymous_readers_is_made_again_once_the_club_changes(
    anonymous, requester
):
    serve_the_league(requester)
    anonymous.get("/clubs/Liverpool")
    squad_of = requester.handlers[GetClub]
    requester.handlers[GetClub] = lambda c: squad_of(c).model_copy(update={"players": [SALAH]})

    assert "Squad (1 players)" in anonymous.get("/clubs/Liverpool").text


def test_a_reader_signed_in_or_with_a_message_never_gets_the_page_kept_for_anonymous_readers(
    anonymous, requester, signing_key
):
    serve_the_league(requester)
    kept = anonymous.get("/clubs/Liverpool").text

    with_notice = anonymous.get("/clubs/Liverpool", params={"notice": "Sold."}).text
    signed_in = SignedIn(anonymous, mint(signing_key)).get("/clubs/Liverpool").text

    assert "Sign in</a> to sell" in kept and "Sold." not in kept
    assert "Sold." in with_notice
    assert 'id="transfer-player"' in signed_in and 'name="csrf"' in signed_in
