"""The mesh checks writers' tokens too (defence in depth): its RequestAuthentication trusts the
issuer the frontend trusts, and its DENY policy covers exactly the app's write routes."""

import os
from unittest import mock
from urllib.parse import urlsplit

from services.frontend.auth_settings import AuthSettings
from tests.deploy.frontend_routes import exposed_routes
from tests.deploy.manifests import container_environment, objects
from tests.deploy.test_mesh_routes import GKE, PARAMETER


def frontend_auth_settings() -> AuthSettings:
    frontend = objects(GKE, "Deployment")["frontend"]
    with mock.patch.dict(os.environ, container_environment(GKE, frontend), clear=True):
        return AuthSettings()


def test_the_mesh_and_the_frontend_trust_the_same_issuer_keys_and_audience() -> None:
    (rule,) = objects(GKE, "RequestAuthentication")["frontend-bearer-tokens"]["spec"]["jwtRules"]
    settings = frontend_auth_settings()

    assert (rule["issuer"], rule["jwksUri"]) == (settings.issuer, settings.jwks_url)
    assert rule["audiences"] == [settings.audience]
    # Without it the sidecar strips the token, and the app's own check refuses every write.
    assert rule["forwardOriginalToken"] is True


def test_a_write_route_without_a_request_principal_is_denied_and_nothing_else() -> None:
    policy = objects(GKE, "AuthorizationPolicy")["frontend-writes-need-a-token"]["spec"]
    (rule,) = policy["rules"]
    denied = {
        (method, path)
        for to in rule["to"]
        for method in to["operation"]["methods"]
        for path in to["operation"]["paths"]
    }

    assert policy["action"] == "DENY"
    assert rule["from"] == [{"source": {"notRequestPrincipals": ["*"]}}]
    writes = {(r.method, PARAMETER.sub("{*}", r.path)) for r in exposed_routes() if r.writer}
    assert denied == writes


def test_the_frontend_may_fetch_the_issuers_keys_through_its_sidecar() -> None:
    registered = {
        host for entry in objects(GKE, "ServiceEntry").values() for host in entry["spec"]["hosts"]
    }
    assert urlsplit(frontend_auth_settings().jwks_url).hostname in registered
