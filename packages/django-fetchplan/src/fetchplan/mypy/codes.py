"""The error codes of the ``fetchplan.mypy`` plugin.

Each can be silenced on its own (``# type: ignore[plan-type]``) or turned off for a project
(``disable_error_code = plan-type``); the run-time checks (``manage.py check``, first compile)
still cover what the plugin does not.
"""

from mypy.errorcodes import ErrorCode

PLAN_FIELD = ErrorCode(
    "plan-field", "A DTO field of a plan has no source, or a key names no DTO field", "fetchplan"
)
PLAN_PATH = ErrorCode(
    "plan-path", "A plan's lookup path or order_by names something the model lacks", "fetchplan"
)
PLAN_TYPE = ErrorCode(
    "plan-type", "A DTO field's type does not accept the values of its source", "fetchplan"
)
PLAN_RELATION = ErrorCode(
    "plan-relation", "One/Many, the model relation and the DTO annotation disagree", "fetchplan"
)
PLAN_MODEL = ErrorCode("plan-model", "A plan runs over a queryset of another model", "fetchplan")
