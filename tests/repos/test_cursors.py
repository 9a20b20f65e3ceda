"""Keyset cursors: opaque, signed, bound to one sort."""

import base64
import json

import pytest

from repos.cursors import InvalidCursor, _sign, decode_cursor, encode_cursor


def test_a_cursor_round_trips() -> None:
    token = encode_cursor(sort="-price", value="12.50", last_id=42)
    cursor = decode_cursor(token, sort="-price")
    assert (cursor.value, cursor.last_id) == ("12.50", 42)


def test_a_backward_cursor_round_trips_and_a_forward_one_keeps_its_old_form() -> None:
    back = decode_cursor(
        encode_cursor(sort="title", value="M", last_id=7, backward=True), sort="title"
    )
    assert (back.value, back.last_id, back.backward) == ("M", 7, True)
    forward = encode_cursor(sort="title", value="M", last_id=7)
    assert decode_cursor(forward, sort="title").backward is False
    assert json.loads(base64.urlsafe_b64decode(forward.split(".")[0] + "==")) == {
        "s": "title",
        "v": "M",
        "id": 7,
    }


def test_a_signed_cursor_with_an_unreadable_direction_is_refused() -> None:
    data = json.dumps({"s": "title", "v": "M", "id": 7, "b": "yes"}).encode()
    payload = base64.urlsafe_b64encode(data).decode().rstrip("=")
    with pytest.raises(InvalidCursor, match="direction"):
        decode_cursor(f"{payload}.{_sign(payload)}", sort="title")


def test_a_float_value_round_trips_exactly() -> None:
    token = encode_cursor(sort="rating", value=10 / 3, last_id=1)
    assert decode_cursor(token, sort="rating").value == 10 / 3


@pytest.mark.parametrize(
    "token",
    ["", "abc", "abc.def", "x" * 2000, "!!!.0000", "eyJ9.abc"],
)
def test_garbage_is_an_invalid_cursor(token: str) -> None:
    with pytest.raises(InvalidCursor, match="Invalid cursor"):
        decode_cursor(token, sort="title")


def test_an_altered_cursor_is_refused() -> None:
    token = encode_cursor(sort="title", value="M", last_id=7)
    payload, signature = token.split(".")
    forged = encode_cursor(sort="title", value="Z", last_id=7).split(".")[0]
    with pytest.raises(InvalidCursor, match="altered"):
        decode_cursor(f"{forged}.{signature}", sort="title")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    with pytest.raises(InvalidCursor):
        decode_cursor(f"{payload}.{flipped}", sort="title")


def test_a_cursor_of_another_sort_is_refused() -> None:
    token = encode_cursor(sort="title", value="M", last_id=7)
    with pytest.raises(InvalidCursor, match="does not belong to sort 'price'"):
        decode_cursor(token, sort="price")
