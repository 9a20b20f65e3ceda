"""Opaque, signed keyset cursors: "continue after (or before) the row with this value and id".

A cursor is ``<urlsafe base64 of JSON>.<signature>``. The JSON names the sort it belongs to,
so a cursor from one sort cannot be replayed on another; the signature (salted HMAC of the
project's SECRET_KEY) makes a hand-edited cursor an error rather than a silent jump. A
*backward* cursor (the previous-page link) reads the rows before its row instead of after.

Example::

    token = encode_cursor(sort="price", value="12.50", last_id=42)
    decode_cursor(token, sort="price")  # -> Cursor(value="12.50", last_id=42, backward=False)
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare, salted_hmac

from dtos.reads import MAX_CURSOR_LENGTH

SALT = "repos.cursors"
INVALID_CURSOR = "Invalid cursor: {reason}. Start again from the first page."


class InvalidCursor(ValueError):
    """A cursor that is malformed, tampered with, or belongs to another sort."""

    def __init__(self, reason: str) -> None:
        super().__init__(INVALID_CURSOR.format(reason=reason))


@dataclass(frozen=True)
class Cursor:
    """A decoded cursor: the sort key value and id of the row at the edge of a page shown.

    ``backward`` cursors ask for the rows before that row (the previous page), others for the
    rows after it (the next page).
    """

    value: str | float
    last_id: int
    backward: bool = False


def _sign(payload: str) -> str:
    return salted_hmac(SALT, payload, algorithm="sha256").hexdigest()[:32]


def encode_cursor(*, sort: str, value: str | float, last_id: int, backward: bool = False) -> str:
    """Return the opaque cursor that continues after (``value``, ``last_id``) in ``sort``.

    With ``backward``, the cursor continues *before* that row, towards the first page.
    """
    fields: dict[str, object] = {"s": sort, "v": value, "id": last_id}
    if backward:  # forward cursors keep their old form, so links made before stay valid
        fields["b"] = True
    data = json.dumps(fields, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
    return f"{payload}.{_sign(payload)}"


def decode_cursor(token: str, *, sort: str) -> Cursor:
    """Return the cursor ``token`` encodes for ``sort``.

    Raises ``InvalidCursor`` when it is malformed, its signature does not match, or it was made
    for another sort.
    """
    if len(token) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("it is too long")
    payload, dot, signature = token.partition(".")
    if not dot or not constant_time_compare(signature, _sign(payload)):
        raise InvalidCursor("it is malformed or was altered")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("it is not readable") from exc
    if not isinstance(data, dict) or data.get("s") != sort:
        raise InvalidCursor(f"it does not belong to sort {sort!r}")
    value, last_id = data.get("v"), data.get("id")
    if not isinstance(last_id, int) or isinstance(last_id, bool):
        raise InvalidCursor("it has no row id")
    if not isinstance(value, str | float | int) or isinstance(value, bool):
        raise InvalidCursor("it has no sort value")
    backward = data.get("b", False)
    if not isinstance(backward, bool):
        raise InvalidCursor("its direction is not readable")
    number = float(value) if isinstance(value, int) else value
    return Cursor(value=number, last_id=last_id, backward=backward)
