"""The local stack's token issuer: a signing key made at start, its JWKS served over HTTP, and
tokens signed with it (`league dev token`), so the frontend checks tokens as in production.

Run as `python -m services.devstack.token_issuer HOST:PORT KEY_FILE`: it writes the private key
(a JWK, readable by its owner only) to KEY_FILE for `league dev token`, and serves the public
key set at JWKS_PATH and an OpenID discovery document, as any OIDC issuer does.
"""

import json
import logging
import os
import sys
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from events.logs import configure_logging
from events.settings import Address, Settings
from services.devstack.settings import StackSettings
from services.frontend.auth_settings import JWKS_PATH, AuthSettings

ALGORITHM = "RS256"
DISCOVERY_PATH = "/.well-known/openid-configuration"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    key_id: str

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048), uuid.uuid4().hex)

    @classmethod
    def load(cls, path: Path) -> "SigningKey":
        jwk = json.loads(path.read_text())
        private_key = RSAAlgorithm.from_jwk(jwk)
        assert isinstance(private_key, rsa.RSAPrivateKey), f"{path} holds no RSA private key"
        return cls(private_key, jwk["kid"])

    def save(self, path: Path) -> None:
        jwk = {**RSAAlgorithm.to_jwk(self.private_key, as_dict=True), "kid": self.key_id}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            json.dump(jwk, file)

    def jwks(self) -> dict[str, Any]:
        """The public key set, as an issuer publishes it."""
        public = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "alg": ALGORITHM}]}

    def mint(
        self,
        *,
        issuer: str,
        audience: str,
        subject: str,
        claims: dict[str, Any] | None = None,
        lifetime_seconds: float = 3600,
    ) -> str:
        """A signed token; `claims` adds to (or overrides) the registered ones."""
        now = int(time.time())
        registered = {
            "iss": issuer,
            "aud": audience,
            "sub": subject,
            "iat": now,
            "exp": now + int(lifetime_seconds),
        }
        payload = {**registered, **(claims or {})}
        return jwt.encode(payload, self.private_key, ALGORITHM, headers={"kid": self.key_id})


def stack_token(
    stack: StackSettings,
    subject: str,
    roles: list[str] | None = None,
    lifetime_seconds: float = 3600,
) -> str:
    """A token of the running stack's issuer for the frontend's audience, with `roles` (default:
    the writer role) in the role claim: `league dev token`, and the end-to-end tests' clients."""
    auth = AuthSettings()
    if not stack.issuer_key_file.exists():
        raise FileNotFoundError(
            f"no signing key at {stack.issuer_key_file}: is the stack (make run) running?"
        )
    return SigningKey.load(stack.issuer_key_file).mint(
        issuer=stack.issuer.url,
        audience=auth.audience,
        subject=subject,
        claims={auth.role_claim: [auth.writer_role] if roles is None else roles},
        lifetime_seconds=lifetime_seconds,
    )


def serve(address: Address, key: SigningKey) -> None:
    issuer = address.url
    documents = {
        JWKS_PATH: key.jwks(),
        DISCOVERY_PATH: {"issuer": issuer, "jwks_uri": f"{issuer}{JWKS_PATH}"},
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            document = documents.get(self.path)
            body = json.dumps(document or {"error": "not found"}).encode()
            self.send_response(200 if document else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("request answered", extra={"line": format % args})

    ThreadingHTTPServer((address.host, address.port), Handler).serve_forever()


def main() -> None:
    settings = Settings()
    configure_logging("issuer", settings.log_level, settings.project_id)
    address, key_file = Address.parse(sys.argv[1]), Path(sys.argv[2])
    key = SigningKey.generate()
    key.save(key_file)
    log.info("serving the JWKS", extra={"issuer": address.url, "key_id": key.key_id})
    serve(address, key)


if __name__ == "__main__":
    main()
