"""The web page's writes: only a signed-in writer's forms, each with its CSRF token; security
headers on every HTML answer; nothing a visitor typed is ever run as script."""

import re
from urllib.parse import urlencode

import pytest

from events.commands import CreatePlayer, DeletePlayer, GetLeagueTable, ListSeasons, TransferPlayer
from events.envelope import ACTOR
from events.values import PlayerDeletion, PlayerResult, SeasonList, TransferResult
from services.frontend.sessions import CSRF_FIELD, SESSION_COOKIE, csrf_token
from tests.unit.frontend.conftest import mint
from tests.unit.frontend.fakes import SALAH, SEASON, TABLE
from tests.unit.frontend.test_pages import serve_the_league
from tests.unit.frontend.test_writers import BAD_TOKENS, WRITES

DELETE_FORM = {"club": "Liverpool", "name": "Mohamed Salah", "back": "/"}
FORMS = {
    "/forms/players": {"name": "New Boy", "club": "Liverpool", "nationality": "England",
                       "position": "Forward", "goals": "13", "price": "25", "back": "/"},
    "/forms/players/delete": DELETE_FORM,
    "/forms/transfers": {"player": "Mohamed Salah", "from_club": "Liverpool",
                         "to_club": "Chelsea", "back": "/"},
}  # fmt: skip


@pytest.fixture
def workers(requester):
    serve_the_league(requester)
    requester.handlers[DeletePlayer] = lambda c: PlayerDeletion(
        season=SEASON, club=c.club, name=c.name
    )
    requester.handlers[CreatePlayer] = lambda c: PlayerResult(season=SEASON, player=c.player)
    requester.handlers[TransferPlayer] = lambda c: TransferResult(
        season=SEASON, player=SALAH, price=150, from_club="Liverpool", from_club_capital=400,
        to_club="Chelsea", to_club_capital=150,
    )  # fmt: skip
    return requester


def send_form(client, path: str, session: str):
    """A form of the page, sent in a session holding `session` with its right CSRF token: only
    the token itself can be wrong."""
    client.cookies.set(SESSION_COOKIE, session)
    return client.post(path, data={**FORMS[path], CSRF_FIELD: csrf_token(session)})


@pytest.mark.parametrize("path", FORMS)
def test_each_form_in_a_writers_session_acts_as_that_writer(anonymous, workers, signing_key, path):
    response = send_form(anonymous, path, mint(signing_key, subject="bob"))

    assert response.status_code == 303, response.text
    [sent] = writes_sent(workers)
    assert sent.extensions == {ACTOR: "bob"}


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("bad_token", BAD_TOKENS, ids=lambda f: f.__name__)
def test_each_form_in_a_session_whose_token_does_not_hold_is_a_401_and_changes_nothing(
    anonymous, workers, signing_key, path, bad_token
):
    response = send_form(anonymous, path, bad_token(signing_key))

    assert response.status_code == 401
    assert writes_sent(workers) == []


@pytest.mark.parametrize("path", FORMS)
def test_each_form_in_a_session_without_the_writer_right_is_a_403_and_changes_nothing(
    anonymous, workers, signing_key, path
):
    response = send_form(anonymous, path, mint(signing_key, roles=["reader"]))

    assert response.status_code == 403
    assert writes_sent(workers) == []


def writes_sent(requester) -> list:
    return [s for s in requester.sent if isinstance(s.command, WRITES)]


def test_a_visitor_who_is_not_signed_in_sees_no_write_form_but_a_way_to_sign_in(anonymous, workers):
    for path in ("/", "/clubs/Liverpool"):
        page = anonymous.get(path).text

        assert 'method="post" action="/forms' not in page
        assert '<a href="/signin">Sign in</a>' in page


def test_a_signed_in_writer_sees_the_forms_each_with_the_csrf_token(browser, workers):
    page = browser.get("/").text

    forms = re.findall(r'<form method="post" action="(/[a-z/]+)"', page)
    tokens = re.findall(rf'name="{CSRF_FIELD}" value="([0-9a-f]+)"', page)
    assert forms == ["/signout", "/forms/players", "/forms/players/delete", "/forms/transfers"]
    assert tokens == [browser.csrf] * len(forms)


def test_a_form_sent_without_a_session_is_a_401_and_changes_nothing(anonymous, workers):
    response = anonymous.post("/forms/players/delete", data=DELETE_FORM)

    assert response.status_code == 401
    assert writes_sent(workers) == []


@pytest.mark.parametrize("csrf", [None, "", "0" * 64], ids=["missing", "empty", "wrong"])
def test_a_form_sent_in_a_session_without_its_csrf_token_is_a_403_and_changes_nothing(
    browser, workers, csrf
):
    form = DELETE_FORM if csrf is None else {**DELETE_FORM, CSRF_FIELD: csrf}
    response = browser.client.post("/forms/players/delete", data=form)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf"
    assert writes_sent(workers) == []


def test_a_form_sent_in_a_session_with_its_csrf_token_acts_as_the_signed_in_writer(
    browser, workers
):
    response = browser.post("/forms/players/delete", data=DELETE_FORM)

    assert response.status_code == 303
    [sent] = writes_sent(workers)
    assert sent.extensions == {ACTOR: "page-user"}


def test_a_token_without_the_writer_right_is_refused_at_sign_in_and_keeps_no_cookie(
    anonymous, signing_key, workers
):
    response = anonymous.post("/signin", data={"token": mint(signing_key, roles=["reader"])})

    assert response.status_code == 403
    assert "may not change the league" in response.text
    assert SESSION_COOKIE not in anonymous.cookies


def test_an_expired_token_is_refused_at_sign_in(anonymous, signing_key, workers):
    response = anonymous.post("/signin", data={"token": mint(signing_key, exp=1_700_000_000)})

    assert response.status_code == 401
    assert SESSION_COOKIE not in anonymous.cookies


def test_the_session_cookie_is_http_only_strict_and_ends_with_the_token(
    anonymous, signing_key, workers
):
    response = anonymous.post("/signin", data={"token": mint(signing_key)})

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert 3500 < int(re.search(r"Max-Age=(\d+)", cookie).group(1)) <= 3600


def test_signing_out_forgets_the_session(browser, workers):
    response = browser.post("/signout")

    assert response.status_code == 303
    assert SESSION_COOKIE not in browser.client.cookies
    assert browser.client.post("/forms/players/delete", data=DELETE_FORM).status_code == 401


def test_every_html_answer_forbids_inline_script_framing_and_sniffing(browser, workers):
    for path in ("/", "/clubs/Liverpool", "/clubs/Nowhere", "/signin", "/docs"):
        response = browser.get(path)

        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        scripts = directives.get("script-src", directives["default-src"])
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
        assert directives["frame-ancestors"] == "'none'", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), path


SCRIPT_NAME = "<script>alert('owned')</script>"


def test_a_script_in_a_players_name_is_shown_as_text_never_run(browser, workers):
    form = {**SALAH.model_dump(), "name": SCRIPT_NAME, "back": "/"}
    form = {key: str(value) for key, value in form.items()}

    created = browser.post("/forms/players", data=form)
    shown = browser.get(created.headers["location"])

    [sent] = writes_sent(workers)
    assert sent.command.player.name == SCRIPT_NAME
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in shown.text
    assert "<script>alert" not in shown.text
    assert browser.get("/?" + urlencode({"problem": SCRIPT_NAME})).text.count("<script>") == 0


def test_the_reads_of_the_page_still_need_no_session(anonymous, workers):
    workers.handlers[ListSeasons] = lambda c: SeasonList(seasons=[SEASON], current=SEASON)
    workers.handlers[GetLeagueTable] = lambda c: TABLE

    assert anonymous.get("/").status_code == 200
    assert anonymous.get("/signin").status_code == 200
