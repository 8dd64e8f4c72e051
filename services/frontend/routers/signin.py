"""The web page's sign-in and sign-out (services/frontend/sessions.py says why this way)."""

import time

import jwt
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from services.frontend.routers.pages import render
from services.frontend.sessions import SESSION_COOKIE, form_session
from services.frontend.tokens import Refused, TokenVerifier

router = APIRouter(tags=["web page"], include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request) -> HTMLResponse:
    """The form to paste a token into."""
    return render(request, "signin.html")


@router.post("/signin", response_model=None)
async def sign_in(request: Request) -> HTMLResponse | RedirectResponse:
    """Keeps a writer's token in the session cookie; an unfit token is named on the page."""
    token = (await request.form()).get("token")
    token = token.strip() if isinstance(token, str) else ""
    verifier: TokenVerifier = request.app.state.tokens
    try:
        await run_in_threadpool(verifier.writer, token)
    except Refused as refusal:
        return render(request, "signin.html", refusal.status, problem=refusal.message)
    signed_in = RedirectResponse("/?notice=Signed+in.", status_code=303)
    signed_in.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=_seconds_left(token),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return signed_in


@router.post("/signout", response_model=None)
async def sign_out(request: Request) -> RedirectResponse:
    """Forgets the session (a form with its CSRF token, so no other site can sign you out)."""
    form_session(request, await request.form())
    signed_out = RedirectResponse("/?notice=Signed+out.", status_code=303)
    signed_out.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return signed_out


def _seconds_left(token: str) -> int:
    # The signature was checked a moment ago; only the expiry is read here.
    claims = jwt.decode(token, options={"verify_signature": False})
    return max(0, int(claims["exp"] - time.time()))
