"""Errors the engine raises, with their messages as constants the tests import."""

from collections.abc import Mapping

NOT_FOUND = "{model} matching {lookup} does not exist."
MULTIPLE_FOUND = "fetch_one() found more than one {model} matching {lookup}."
INVALID_PLAN = "Invalid plan {plan}: {problem}"
BAD_RELATION = (
    "Many() needs exactly one of plan= (to load DTOs) or scalar= (to load one column), got {got}."
)
BAD_LIMIT = "Many(limit=...) must be a positive integer, got {limit!r}."
BAD_CHUNK_SIZE = "Cannot stream() with chunk_size={chunk_size!r}: it must be a positive integer."


class NotFound(LookupError):
    """No row matched a ``fetch_one()`` lookup; names the model and the lookup.

    The HTTP edge maps it to a 404.
    """

    def __init__(self, model: str, lookup: Mapping[str, object]) -> None:
        self.model = model
        self.lookup = dict(lookup)
        super().__init__(NOT_FOUND.format(model=model, lookup=self.lookup))


class MultipleFound(LookupError):
    """More than one row matched a ``fetch_one()`` lookup."""

    def __init__(self, model: str, lookup: Mapping[str, object]) -> None:
        self.model = model
        self.lookup = dict(lookup)
        super().__init__(MULTIPLE_FOUND.format(model=model, lookup=self.lookup))


class PlanError(ValueError):
    """A plan cannot be compiled against its model (the system checks report these early)."""
