"""API tokens: created once and shown once, stored as a SHA-256 digest, checked in one query.

A token is ``bst_`` and 43 URL-safe characters (256 random bits). Its digest is the row's
unique key, so checking a token costs one SHA-256 and one indexed lookup, whether it is
right, wrong, or names no user at all: there is no per-user password hash to spend 0.5 s on
(issue 13, finding 6). A string that is not shaped like a token is refused without a query.

Example::

    token = create_token(user_id=7, name="laptop")  # give it to the client, once
    user_for_token(token)  # -> the active user 7, or None
"""

import hashlib
import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from bookstore.models import ApiToken

__all__ = ["TOKEN_PREFIX", "create_token", "looks_like_token", "user_for_token"]

TOKEN_PREFIX = "bst_"
_TOKEN_SHAPE = re.compile(r"bst_[A-Za-z0-9_-]{43}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Return True if ``text`` has the shape of a token this module creates."""
    return _TOKEN_SHAPE.fullmatch(text) is not None


def create_token(*, user_id: int, name: str = "") -> str:
    """Create a token for user ``user_id`` and return it; only its digest is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user_id=user_id, name=name, digest=_digest(token))
    return token


def user_for_token(token: str) -> AbstractBaseUser | None:
    """Return the active user ``token`` belongs to, or None (at most 1 query).

    Returns the user object itself, not a DTO: the HTTP edge hands it to Django's permission
    checks (``user.has_perm``), as an authentication backend would.
    """
    if not looks_like_token(token):
        return None
    users = get_user_model()._default_manager.filter(
        api_tokens__digest=_digest(token), is_active=True
    )
    return users.first()
