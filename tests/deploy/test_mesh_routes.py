"""The gateway exposes exactly the frontend's routes: a route added to the app without one in the
mesh (or the other way round) fails here. Retries only for requests safe to send twice."""

import re

from tests.deploy.frontend_routes import AppRoute, exposed_routes
from tests.deploy.manifests import objects, settings_of

GKE = "overlays/gke"
PARAMETER = re.compile(r"\{[^}]+\}")


def gateway_match(route: AppRoute) -> tuple[str, str, str]:
    """The HTTPRoute match that lets exactly this route through: (method, type, value)."""
    if route.path.endswith("/*"):
        return route.method, "PathPrefix", route.path.removesuffix("/*")
    if PARAMETER.search(route.path):
        return route.method, "RegularExpression", PARAMETER.sub("[^/]+", route.path)
    return route.method, "Exact", route.path


def httproute_matches(retried: bool | None = None) -> set[tuple[str, str, str]]:
    rules = objects(GKE, "HTTPRoute")["frontend"]["spec"]["rules"]
    return {
        (match["method"], match["path"]["type"], match["path"]["value"])
        for rule in rules
        if retried is None or ("retry" in rule) == retried
        for match in rule["matches"]
    }


def test_the_httproute_matches_exactly_the_apps_routes() -> None:
    assert httproute_matches() == {gateway_match(route) for route in exposed_routes()}


def test_only_requests_safe_to_send_twice_are_retried() -> None:
    safe = {gateway_match(route) for route in exposed_routes() if route.safe}
    assert httproute_matches(retried=True) == safe


def test_metrics_and_health_are_never_routed() -> None:
    values = {value for _, _, value in httproute_matches()}
    assert not {"/metrics", "/healthz", "/readyz"} & values
    assert not any(value in ("/", "") for _, kind, value in httproute_matches() if kind != "Exact")


def test_the_route_waits_longer_than_the_frontends_bus_deadline() -> None:
    deadline = settings_of(GKE, objects(GKE, "Deployment")["frontend"]).request_timeout_seconds
    for rule in objects(GKE, "HTTPRoute")["frontend"]["spec"]["rules"]:
        for timeout in rule["timeouts"].values():
            assert seconds(timeout) > deadline, rule["name"]


def test_the_gateway_may_call_the_frontend_on_exactly_its_routes_and_methods() -> None:
    (rule,) = objects(GKE, "AuthorizationPolicy")["frontend-from-gateway"]["spec"]["rules"]
    allowed = {
        (method, path)
        for to in rule["to"]
        for method in to["operation"]["methods"]
        for path in to["operation"]["paths"]
    }
    assert allowed == {(r.method, PARAMETER.sub("{*}", r.path)) for r in exposed_routes()}


def test_the_gateway_principal_is_the_service_account_istio_gives_the_gateway() -> None:
    (gateway,) = objects(GKE, "Gateway").values()
    (rule,) = objects(GKE, "AuthorizationPolicy")["frontend-from-gateway"]["spec"]["rules"]
    namespace, name = gateway["metadata"]["namespace"], gateway["metadata"]["name"]
    # Istio's automated deployment names the gateway's ServiceAccount <gateway>-istio.
    assert rule["from"][0]["source"]["principals"] == [
        f"cluster.local/ns/{namespace}/sa/{name}-istio"
    ]
    (parent,) = objects(GKE, "HTTPRoute")["frontend"]["spec"]["parentRefs"]
    assert (parent["namespace"], parent["name"]) == (namespace, name)


def seconds(duration: str) -> float:
    """A Gateway API duration such as 12s or 500ms."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+)(ms|h|m|s)", duration))
