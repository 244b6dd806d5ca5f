"""The app's own HTTP routes beside Streamlit's (`streamlit run app/main.py` serves them through st.App): the
browser exchanges a login's one-time ticket for the session cookie here, because only an HTTP response can set a
cookie that page scripts never see (http-only). planner.store.sessions holds the rules."""
from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from planner.store.location import database_url
from planner.store.sessions import COOKIE, exchange
from planner.store.store import Store

PREFIX = "/planner-session"


@cache
def _store() -> Store:
    return Store(database_url())


def start_session(request: Request) -> Response:
    """GET {PREFIX}/start/<ticket>: the cookie for a valid ticket; nothing for any other (204 either way)."""
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    found = exchange(_store(), request.path_params["ticket"])
    if found is not None:
        value, max_age = found
        response.set_cookie(COOKIE, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
    return response


def end_session(request: Request) -> Response:
    """GET {PREFIX}/end: the cookie removed (the session itself is revoked in the store at logout)."""
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def routes() -> list[Route]:
    return [Route(f"{PREFIX}/start/{{ticket}}", start_session), Route(f"{PREFIX}/end", end_session)]


def start_url(ticket: str) -> str:
    return f"{PREFIX}/start/{ticket}"


def end_url() -> str:
    return f"{PREFIX}/end"
