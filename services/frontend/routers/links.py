"""The web page's addresses: every link and form keeps the season the reader picked."""

from functools import lru_cache
from urllib.parse import quote, urlencode


def with_query(path: str, **parameters: str) -> str:
    """`path` (which may have a query already) with these parameters added to its query."""
    if not parameters:
        return path
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{urlencode(parameters)}"


def with_season(path: str, season: str | None) -> str:
    """`path` with the season a reader chose; none chosen, the plain path means the current one."""
    return with_query(path, season=season) if season else path


# A page links every player to their club: the same few clubs, each quoted once.
@lru_cache(maxsize=1024)
def club_path(club: str, season: str | None) -> str:
    return with_season(f"/clubs/{quote(club, safe='')}", season)
