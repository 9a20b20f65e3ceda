"""The one ninja ``Router`` that holds every ``/api/`` operation, reads and writes.

django-ninja gives each router its own URL pattern per path, and Django stops at the first
pattern that matches: with the GET of ``/books`` on one router and its POST on another, one
of the two would always answer 405. One router keeps every method of a path together; reads
are public, writes and order reads set their own ``auth`` (``bookstore/api_writes.py``,
``bookstore/api_orders.py``).
"""

from typing import Annotated

from ninja import Path, Router

from dtos.fields import MAX_ID

routes = Router()

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A row id in a path: a whole number that fits 64 bits, else a 400 before any query."""
