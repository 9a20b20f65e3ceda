"""Errors the engine raises, with their messages as constants the tests import."""

from collections.abc import Mapping, Sequence

from django.core.checks import CheckMessage

NOT_FOUND = "{model} matching {lookup} does not exist."
MULTIPLE_FOUND = "fetch_one() found more than one {model} matching {lookup}."
INVALID_PLAN = "Invalid plan {plan}: {problem}"
BAD_RELATION = (
    "Many() takes plan= (to load DTOs) or scalar= (to load one column), not both: got {got}."
)
BAD_LIMIT = "Many(limit=...) must be a positive integer, got {limit!r}."
BAD_ORDER_BY = (
    "Many(order_by=...) takes a tuple of field names such as ('-created', 'id'), "
    "got {order_by!r}. A single name is a one-item tuple: order_by=('name',)."
)
BAD_FILTER = (
    "Many(filter=...) takes a Q object (or a boolean expression such as Exists(...)), "
    "got {got}: write filter=Q(rating__gte=4)."
)
BAD_MAPPING = (
    "Plan({argument}=...) takes a mapping of DTO field names, got {got}: "
    "write {argument}={{'field': ...}}."
)
BAD_THROUGH_FIELDS = (
    "Many(through_fields=...) maps DTO field names to through-model columns, got {got!r}: "
    "write through_fields={{'position': 'position'}}."
)
THROUGH_NEEDS_INFERENCE = (
    "Many(through_fields={fields!r}) takes neither plan= nor scalar=: the nested plan is "
    "inferred from the field's tuple[X, ...] (X holds the through fields), so leave it out."
)
COMPOSITE_KEY = (
    "its model {model} has a composite primary key, which plans do not support (they identify, "
    "group and order rows by a one-column primary key)"
)
BAD_STRATEGY = "Plan(strategy=...) must be one of {choices}, got {got!r}."
PLAN_REJECTED = (
    "Plan {plan} cannot run: the checks `manage.py check` runs found {count} problem(s).\n"
    "{problems}"
)
PROBLEM_LINE = "  {id} {where}{message} HINT: {hint}"
IN_NESTED_PLAN = "(in nested plan {plan}) "
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
    """A plan cannot be compiled against its model (the system checks report these early).

    ``problems`` holds the check messages (``fetchplan.E0xx``) when the error comes from the
    first-compile validation; it is empty for a mistake caught where a plan is declared.
    """

    def __init__(self, message: str, *, problems: Sequence[CheckMessage] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
