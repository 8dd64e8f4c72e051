"""The web page's sign-in: a writer's bearer token, pasted once, kept in an HttpOnly cookie.

Why a pasted token rather than an OIDC login redirect: the frontend stays stateless (no client
secret, no server-side session store shared by replicas), and the page checks exactly the token
the API checks, with the same dependency code. The cookie lives as long as the token.
Because a cookie rides along with any request the browser sends, every form carries a CSRF
token: an HMAC of a fixed label keyed by the session's token, which a page of another site can
neither read nor compute; the cookie is SameSite=Strict besides.
"""

import hashlib
import hmac

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request

from services.frontend.tokens import Actor, Refused, not_signed_in
from services.frontend.writers import writer_now

SESSION_COOKIE = "league_session"
CSRF_FIELD = "csrf"


def csrf_token(session: str) -> str:
    return hmac.new(session.encode(), b"league-app form", hashlib.sha256).hexdigest()


def session_of(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def form_session(request: Request, form: FormData) -> str:
    """The session a form of this site's page was sent in; raises `Refused` otherwise."""
    session = session_of(request)
    if session is None:
        raise not_signed_in("sign in at /signin to change the league", error=None)
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(session)):
        raise Refused(403, "csrf", "the form does not come from this site's page: reload it", {})
    return session


async def page_writer(request: Request, form: FormData) -> Actor:
    """The signed-in writer who sent this form; raises `Refused` otherwise."""
    return await run_in_threadpool(writer_now, request, form_session(request, form))
