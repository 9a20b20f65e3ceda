"""The requests ``make load`` sends, and the setup the write scenario needs.

Three scenarios (``python -m bench.load --scenarios reads,mixed,sorts``):

- ``reads``: the read paths given on the command line (default ``/api/books``,
  ``/api/books/{id}``, ``/books/``), as before.
- ``mixed``: token-authenticated writes among reads: ``POST /api/orders`` (one copy of a
  random book, for the token's own customer), ``POST /api/books/{id}/reviews``, and the book
  list sorted by rating and by price, 100 a page. Tokens come from ``manage.py
  create_api_token`` (``LOAD_USERS`` accounts, each with a customer); stock is topped up first
  so that an order never fails for want of copies (a 409 would count as an error).
- ``sorts``: the rating-sorted and the price-sorted list alone, one after the other, for the
  same time each: the rating sort must serve at least half the price sort's requests/s.
"""

import random
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg

__all__ = [
    "MIXED",
    "PRICE_SORTED",
    "RATING_SORTED",
    "SCENARIOS",
    "Request",
    "create_tokens",
    "reads",
    "top_up_stock",
]

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("reads", "mixed", "sorts")
LOAD_USERS = 8
STOCK_FOR_LOAD = 1_000_000


@dataclass(frozen=True)
class Request:
    """One kind of request: ``{id}`` in the path or body is a random book id per request,
    ``{rating}`` a random 1..5."""

    method: str
    path: str
    body: str = ""

    @property
    def label(self) -> str:
        """``GET /api/books`` or ``POST /api/orders``: how reports name it."""
        return f"{self.method} {self.path}"

    def line(self) -> str:
        """The request as bench/load.lua reads it from LOAD_REQUESTS."""
        return f"{self.method}|{self.path}|{self.body}"

    def filled(self, book_id: int) -> tuple[str, bytes | None]:
        """Return the path and body with their placeholders filled, for a probe."""
        rating = str(random.randint(1, 5))

        def fill(text: str) -> str:
            return text.replace("{id}", str(book_id)).replace("{rating}", rating)

        return fill(self.path), fill(self.body).encode() if self.body else None


RATING_SORTED = Request("GET", "/api/books?sort=-rating&limit=100")
PRICE_SORTED = Request("GET", "/api/books?sort=-price&limit=100")
MIXED = (
    Request("POST", "/api/orders", '{"lines": [{"book_id": {id}, "quantity": 1}]}'),
    Request("POST", "/api/books/{id}/reviews", '{"rating": {rating}, "body": "load test"}'),
    RATING_SORTED,
    PRICE_SORTED,
)


def reads(paths: Sequence[str]) -> tuple[Request, ...]:
    """The ``reads`` scenario: a GET of each path."""
    return tuple(Request("GET", path) for path in paths)


def create_tokens(env: dict[str, str], *, count: int = LOAD_USERS) -> list[str]:
    """Create ``count`` accounts (once) with customers, and a new API token for each."""
    tokens = []
    for n in range(count):
        done = subprocess.run(
            [sys.executable, "manage.py", "create_api_token", f"load-{n}",
             "--create-user", "--with-customer", "--name", "make load"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        tokens.append(done.stdout.strip())
    return tokens


def top_up_stock(database_url: str, *, on_hand: int = STOCK_FOR_LOAD) -> None:
    """Give every book of the load database ``on_hand`` copies (orders must not run out)."""
    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
        password=config["PASSWORD"] or None, dbname=config["NAME"],
    ) as conn:  # fmt: skip
        conn.execute("UPDATE bookstore_stock SET on_hand = %s", [on_hand])
