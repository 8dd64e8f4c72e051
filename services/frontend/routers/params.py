"""Query parameters several /api/v1 routers share."""

from typing import Annotated

from fastapi import Query

from events.values import SeasonId

SeasonQuery = Annotated[
    SeasonId | None, Query(description="The season, e.g. `2018-19`; left out, the current one.")
]
