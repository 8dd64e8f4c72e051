"""Bearer tokens (JWT): who sent a write, and whether they may make it.

PyJWT checks the signature against the issuer's JWKS (fetched and cached by its PyJWKClient),
the issuer, the audience and the expiry; this module adds only the league's right.
"""

import logging
from dataclasses import dataclass
from typing import Any

import jwt

from events.replies import Unavailable
from services.frontend.auth_settings import AuthSettings

log = logging.getLogger(__name__)
REALM = "league"
REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]


@dataclass(frozen=True)
class Actor:
    """Who asked for a change: the token's subject."""

    subject: str


class Refused(Exception):
    """A request refused at the edge, before any command: a status, a code, a message and the
    headers the status asks for (RFC 6750's `WWW-Authenticate` on a 401 and a 403)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str]) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def not_signed_in(message: str, error: str | None = "invalid_token") -> Refused:
    """401: no token (`error` None, as RFC 6750 asks), or one that does not hold."""
    challenge = f'Bearer realm="{REALM}"'
    if error is not None:
        description = message.replace('"', "'").replace("\\", "/")
        challenge += f', error="{error}", error_description="{description}"'
    return Refused(401, "unauthenticated", message, {"WWW-Authenticate": challenge})


def not_permitted(message: str) -> Refused:
    challenge = f'Bearer realm="{REALM}", error="insufficient_scope"'
    return Refused(403, "forbidden", message, {"WWW-Authenticate": challenge})


class TokenVerifier:
    def __init__(self, settings: AuthSettings, keys: jwt.PyJWKClient) -> None:
        self.settings = settings
        self.keys = keys

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> "TokenVerifier":
        keys = jwt.PyJWKClient(
            settings.jwks_url,
            lifespan=settings.jwks_cache_seconds,
            timeout=settings.jwks_timeout_seconds,
        )
        return cls(settings, keys)

    def writer(self, token: str) -> Actor:
        """The actor of a token that may change the league; raises `Refused` otherwise (or
        `Unavailable` when the issuer's keys cannot be fetched). Blocks while it fetches them."""
        claims = self._claims(token)
        actor = Actor(subject=str(claims["sub"]))
        if not self._may_write(claims):
            log.info("write refused: no right", extra={"actor": actor.subject})
            raise not_permitted(
                f"the token's subject may not change the league: it needs the role "
                f"{self.settings.writer_role!r} in its {self.settings.role_claim!r} claim"
            )
        return actor

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            key = self.keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=self.settings.algorithms,
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWKClientConnectionError as error:
            log.warning("the token issuer's keys cannot be fetched", extra={"reason": str(error)})
            raise Unavailable("the token issuer's keys cannot be fetched; try again") from error
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as error:
            # No signing key of the issuer's has the token's key id: signed by someone else.
            reason = (
                "the token is not signed by any of the issuer's keys"
                if isinstance(error, jwt.PyJWKClientError)
                else f"the token is not valid: {error}"
            )
            log.info("write refused: token not valid", extra={"reason": reason})
            raise not_signed_in(reason) from error
        return claims

    def _may_write(self, claims: dict[str, Any]) -> bool:
        roles = claims.get(self.settings.role_claim, [])
        if isinstance(roles, str):
            roles = roles.split()
        held = isinstance(roles, list) and self.settings.writer_role in roles
        return held or claims["sub"] in self.settings.writer_subjects
