"""`league frontend`: serves the HTTP API and the web page."""

from services.frontend.server import serve


def frontend() -> None:
    """Serve the HTTP API and the web page on LEAGUE_HTTP_ADDRESS (default 127.0.0.1:8080)."""
    serve()
