"""The web page in a real browser: Debian's Chromium, driven by Playwright over the whole stack.

Nothing is downloaded: Playwright drives the system's Chromium (`apt-get install chromium`).
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.cloud import firestore
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.frontend.conftest import NO_CACHE, SEASON, club, player
from tests.support.firestore import seed_season

pytestmark = pytest.mark.emulators

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: `apt-get install chromium` (Debian's package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, league) -> Iterator[Page]:
    context = browser.new_context(
        base_url=league.url, viewport={"width": 1100, "height": 900}, extra_http_headers=NO_CACHE
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts(repo_root: Path) -> Path:
    folder = repo_root / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def earlier_season(league, firestore_client: firestore.Client) -> str:
    """A season before the current one, with a club the current season does not have."""
    season = "2017-18"
    table = [club("Manchester City", 100, 79, 500), club("Manchester United", 81, 40, 90)]
    squads = [
        player("Sergio Aguero", "Manchester City", "Forward", 21, 120),
        player("Romelu Lukaku", "Manchester United", "Forward", 16, 80),
        player("Paul Pogba", "Manchester United", "Midfielder", 6, 90),
    ]
    seed_season(firestore_client, season, table, squads)
    return season


def capital_cell(page: Page, club: str):
    return page.locator(f'tr[data-club="{club}"] td.capital')


def sell(page: Page, player: str, to_club: str) -> None:
    """Sells one of the club's players with the form on its page."""
    sale = page.locator("#transfer-player")
    sale.locator("select[name=player]").select_option(player)
    sale.locator("select[name=to_club]").select_option(to_club)
    sale.get_by_role("button", name="Transfer").click()


def pick_season(page: Page, season: str) -> None:
    page.locator("#season-picker select[name=season]").select_option(season)
    page.locator("#season-picker").get_by_role("button", name="Show season").click()


def test_a_manager_opens_a_club_sells_a_player_and_sees_the_capitals_change(page, artifacts):
    page.goto("/")
    expect(page.get_by_role("heading", name="League table")).to_be_visible()
    expect(capital_cell(page, "Chelsea")).to_have_text("200")
    expect(capital_cell(page, "Tottenham")).to_have_text("20")

    page.get_by_role("link", name="Tottenham", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tottenham")).to_be_visible()
    expect(page.locator("#best")).to_contain_text("Harry Kane")
    expect(page.locator("#squad")).to_contain_text("Squad (3 players)")

    sell(page, "Harry Kane", to_club="Chelsea")

    expect(page.get_by_role("status")).to_contain_text("Harry Kane moved from Tottenham to Chelsea")
    expect(page.get_by_role("heading", name="Chelsea")).to_be_visible()
    expect(page.locator("#squad")).to_contain_text("Harry Kane")

    page.get_by_role("link", name="Table", exact=True).click()
    expect(capital_cell(page, "Chelsea")).to_have_text("40")
    expect(capital_cell(page, "Tottenham")).to_have_text("180")
    page.screenshot(path=artifacts / "frontend-after-transfer.png", full_page=True)


def test_a_fan_picks_an_earlier_season_and_stays_in_it_through_links_and_forms(
    page, earlier_season, artifacts
):
    page.goto("/")
    expect(page.locator("#table h1")).to_contain_text(f"season {SEASON}")
    pick_season(page, earlier_season)

    expect(page.locator("#table h1")).to_contain_text(f"season {earlier_season}")
    expect(capital_cell(page, "Manchester United")).to_have_text("90")
    expect(page.locator("#top-players")).to_contain_text("Romelu Lukaku")
    page.locator("#table").get_by_role("link", name="Manchester United").click()
    expect(page.locator("h1")).to_contain_text(f"Manchester United season {earlier_season}")
    expect(page.locator("#squad")).to_contain_text("Romelu Lukaku")

    sell(page, "Romelu Lukaku", to_club="Manchester City")

    expect(page.get_by_role("status")).to_contain_text("Romelu Lukaku moved")
    expect(page.locator("h1")).to_contain_text(f"Manchester City season {earlier_season}")
    page.get_by_role("link", name="Table", exact=True).click()
    expect(page.locator("#table h1")).to_contain_text(f"season {earlier_season}")
    expect(capital_cell(page, "Manchester United")).to_have_text("170")
    expect(capital_cell(page, "Manchester City")).to_have_text("420")
    page.screenshot(path=artifacts / "frontend-earlier-season.png", full_page=True)

    pick_season(page, SEASON)
    expect(capital_cell(page, "Manchester City")).to_have_text("300")


def test_a_refused_transfer_says_why_and_changes_nothing(page, artifacts):
    page.goto("/clubs/Liverpool")
    sell(page, "Mohamed Salah", to_club="Tottenham")

    expect(page.get_by_role("alert")).to_contain_text("Tottenham cannot afford Mohamed Salah")
    page.screenshot(path=artifacts / "frontend-refused-transfer.png", full_page=True)
    page.goto("/")
    expect(capital_cell(page, "Tottenham")).to_have_text("20")


def test_a_fan_creates_a_player_and_finds_him_in_the_squad(page):
    page.goto("/")
    form = page.locator("#create-player")
    form.get_by_label("Name").fill("Phil Foden")
    form.get_by_label("Club").select_option("Manchester City")
    form.get_by_label("Nationality").fill("England")
    form.get_by_label("Position").select_option("Midfielder")
    form.get_by_label("Goals").fill("3")
    form.get_by_role("button", name="Create").click()

    expect(page.get_by_role("status")).to_contain_text("Phil Foden joined Manchester City")
    expect(page.locator("#squad")).to_contain_text("Phil Foden")


def test_the_top_players_of_a_position_show_without_javascript(browser, league):
    context = browser.new_context(
        base_url=league.url, java_script_enabled=False, extra_http_headers=NO_CACHE
    )
    page = context.new_page()
    page.goto("/")
    page.locator("#top-players select[name=position]").select_option("Defender")
    page.locator("#top-players").get_by_role("button", name="Show").click()

    expect(page.locator("#top-players table")).to_contain_text("Virgil van Dijk")
    context.close()
