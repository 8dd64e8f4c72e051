"""Parameters the routers share, and the rule that no other query parameter is ignored."""

from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response
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


class CheckedRoute(APIRoute):
    """A route on which a query parameter it does not take is a 422, not ignored (a `?season=` on
    a route without one would otherwise look as if it had been obeyed).

    A route class rather than a router dependency: the parameters a route takes are found once,
    and the check runs outside FastAPI's dependency machinery, which took 150 to 200 us a read
    for it and the original routes' error shape together (routers/legacy.py; README,
    "Performance")."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        taken = frozenset(_query_parameters(self.dependant))

        async def checked(request: Request) -> Response:
            if request.scope["query_string"]:
                _refuse_unknown(request.query_params.keys(), taken)
            return await handler(request)

        return checked


def _refuse_unknown(given: Iterable[str], taken: frozenset[str]) -> None:
    unknown = sorted(set(given) - taken)
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
