"""The one dependency every write route takes: a bearer token that may change the league."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.frontend.tokens import Actor, TokenVerifier, not_signed_in
from services.frontend.write_rate import WriteRate

# Documents the scheme in OpenAPI (and marks every route that takes it); the check is ours, so
# a missing token is answered in the route's own error shape.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="JWT",
    description="An OIDC ID token (JWT) from the configured issuer, for the configured audience, "
    "with the writer role or an allowed subject. Locally: `league dev token`.",
)


def require_writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """A plain `def`: FastAPI runs it in a thread, as fetching the issuer's keys blocks."""
    if credentials is None:
        raise not_signed_in(
            "this route changes the league: send `Authorization: Bearer <token>`", error=None
        )
    return writer_now(request, credentials.credentials)


def writer_now(request: Request, token: str) -> Actor:
    """The actor of `token` if it may change the league now: its right, then its write rate;
    raises `Refused` otherwise. The API's routes and the page's forms both ask here. Blocks
    while it fetches the issuer's keys."""
    verifier: TokenVerifier = request.app.state.tokens
    actor = verifier.writer(token)
    write_rate: WriteRate = request.app.state.write_rate
    write_rate.take(actor)
    return actor


WriterDep = Annotated[Actor, Depends(require_writer)]
