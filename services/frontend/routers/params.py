"""Parameters the routers share, and the rule that no other query parameter is ignored."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from events.messages import quoted
from events.replies import Invalid
from events.values import Name, SeasonId

SeasonQuery = Annotated[
    SeasonId | None,
    Query(
        description="The season, e.g. `2018-19`; left out, the current one. An id of another "
        "shape is a 422, a season that is not loaded a 404.",
        examples=["2018-19"],
    ),
]

ClubPath = Annotated[
    Name, Path(description="The club, as the table names it.", examples=["Chelsea"])
]
PlayerPath = Annotated[Name, Path(description="The player's name.", examples=["Eden Hazard"])]


async def known_query_parameters(request: Request) -> None:
    """Router dependency: a query parameter the route does not take is a 422, not ignored (a
    `?season=` on a route without one would otherwise look as if it had been obeyed)."""
    route = request.scope["route"]
    assert isinstance(route, APIRoute)
    taken = set(_query_parameters(route.dependant))
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        named = ", ".join(quoted(name, 40) for name in unknown[:5])
        raise Invalid(
            f"unknown query parameter {named}; this route takes "
            f"{', '.join(sorted(taken)) or 'none'}"
        )


def _query_parameters(dependant: Dependant) -> Iterator[str]:
    yield from (parameter.alias for parameter in dependant.query_params)
    for dependency in dependant.dependencies:
        yield from _query_parameters(dependency)
