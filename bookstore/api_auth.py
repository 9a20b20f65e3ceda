"""Authentication of the API's writes and of the caller's orders: a token, or the session.

- ``TokenAuth``: ``Authorization: Bearer <token>``, a per-user token created with
  ``manage.py create_api_token`` and stored hashed (``repos/api_tokens.py``). A wrong token,
  an unknown user or junk credentials of any scheme (``Basic ...``) cost one SHA-256 and at
  most one indexed lookup: no password hash per request (issue 13, finding 6).
- ``SessionAuth``: the site's login session, for the site's own pages calling the API. The
  CSRF token is checked only once a session user is found, so an anonymous request is a 401,
  not a 403 about CSRF (finding 3); a logged-in request without the token is a 403.

Refusals are JSON (``bookstore/api.py`` registers the handlers): 401 with
``WWW-Authenticate: Bearer realm="bookstore"`` (and ``error="invalid_token"`` when
credentials were sent), and 429 with ``Retry-After`` for a client over
``BOOKSTORE_AUTH_FAILURES_PER_MINUTE`` failed attempts: throttled before any lookup.
"""

from typing import Any, override

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from bookstore import throttle
from repos.api_tokens import user_for_token

__all__ = [
    "API_AUTH",
    "AUTH_FAILURES",
    "AUTH_REQUIRED",
    "CREDENTIALS_REFUSED",
    "CSRF_FAILED",
    "AuthThrottled",
    "SessionAuth",
    "TokenAuth",
    "unauthorized",
]

AUTH_REQUIRED = (
    "Authentication required: send 'Authorization: Bearer <token>' "
    "(manage.py create_api_token), or log in on the site."
)
CREDENTIALS_REFUSED = "The credentials were not accepted."
CSRF_FAILED = "CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header."
REALM = 'Bearer realm="bookstore"'
FAILED_FLAG = "_bookstore_credentials_refused"

AUTH_FAILURES = throttle.Limit(
    scope="api-auth",
    setting="BOOKSTORE_AUTH_FAILURES_PER_MINUTE",
    window=60,
    what="failed authentications",
)


class AuthThrottled(HttpError):
    """A client over the failed-authentication limit; ``wait`` is the seconds to wait."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        message = throttle.TOO_MANY_REQUESTS.format(what=AUTH_FAILURES.what, seconds=wait)
        super().__init__(429, message)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` against the stored token digests."""

    @override
    def __call__(self, request: HttpRequest) -> AbstractBaseUser | None:
        """Return the token's user; None (a failure, counted) for any other credentials."""
        header = request.headers.get(self.header)
        if not header:
            return None
        client = throttle.client_of(request)
        wait = throttle.peek(AUTH_FAILURES, client)
        if wait is not None:
            raise AuthThrottled(wait)
        scheme, _, credentials = header.partition(" ")
        user = (
            self.authenticate(request, credentials.strip()) if scheme.lower() == "bearer" else None
        )
        if user is None:
            throttle.take(AUTH_FAILURES, client)
            setattr(request, FAILED_FLAG, True)
        return user

    @override
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        """Return the active user ``token`` belongs to, or None."""
        return user_for_token(token)


class SessionAuth(APIKeyCookie):
    """The site's session user; the CSRF token is required once there is one."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    @override
    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)  # CSRF comes after: see authenticate()

    @override
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """Return the logged-in user, or None; raise a 403 if their CSRF token is missing."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return user


def unauthorized(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add ``WWW-Authenticate`` to the 401 ``response`` (RFC 6750's invalid_token if sent)."""
    refused = getattr(request, FAILED_FLAG, False)
    response["WWW-Authenticate"] = f'{REALM}, error="invalid_token"' if refused else REALM
    return response


API_AUTH = [TokenAuth(), SessionAuth()]
"""What the API's writes and order reads accept, in this order."""
