"""`python -m services.frontend`: the HTTP frontend on Settings.http_address."""

from services.frontend.server import serve

if __name__ == "__main__":
    serve()
