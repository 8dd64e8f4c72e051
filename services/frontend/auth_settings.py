"""Who may change the league: the token issuer the frontend trusts, and the right it asks for."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The local stack's token issuer (services/devstack/token_issuer.py) listens here by default.
LOCAL_ISSUER = "http://127.0.0.1:8095"
JWKS_PATH = "/.well-known/jwks.json"


class AuthSettings(BaseSettings):
    """Read from `LEAGUE_AUTH_*`; the defaults trust the local stack's issuer (`make run`).

    In production: for Google-signed ID tokens, issuer `https://accounts.google.com`, JWKS
    `https://www.googleapis.com/oauth2/v3/certs`, the audience the token was minted for, and the
    subjects allowed to write (Google ID tokens carry no role).
    """

    model_config = SettingsConfigDict(env_prefix="LEAGUE_AUTH_", extra="ignore")

    issuer: str = LOCAL_ISSUER
    jwks_url: str = f"{LOCAL_ISSUER}{JWKS_PATH}"
    audience: str = "league-app"
    # Asymmetric algorithms only: a shared-secret one would let anyone holding the JWKS sign.
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    # A token may write when this claim (a list, or a space-separated string) names `writer_role`,
    # or when its subject is in `writer_subjects`.
    role_claim: str = "roles"
    writer_role: str = "league-writer"
    writer_subjects: list[str] = Field(default_factory=list)
    # Clock skew tolerated on `exp`, `nbf` and `iat`.
    leeway_seconds: float = 30.0
    # How long the issuer's keys are trusted before they are fetched again (a key the cache does
    # not know is fetched at once, at most once every cooldown).
    jwks_cache_seconds: float = 300.0
    jwks_timeout_seconds: float = 5.0
    # How many changes one writer (token subject) may make, per replica, in `limits` notation.
    write_rate: str = "60/minute"
