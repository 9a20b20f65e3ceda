"""The one ninja ``Router`` that holds every ``/api/`` operation, reads and writes.

django-ninja gives each router its own URL pattern per path, and Django stops at the first
pattern that matches: with the GET of ``/books`` on one router and its POST on another, one
of the two would always answer 405. One router keeps every method of a path together; reads
are public, writes set their own ``auth`` (``bookstore/api_writes.py``).
"""

from ninja import Router

routes = Router()
