"""The ids of the plan checks, shared by ``manage.py check`` and the first-compile validation.

- ``fetchplan.E001`` a DTO field has no source: no model field of that name, no ``fields=`` entry,
  no relation.
- ``fetchplan.E002`` a source path does not exist, goes through a to-many relation, or ends at
  a reverse relation; or an expression does not resolve.
- ``fetchplan.E003`` a DTO field's type disagrees with its column or expression (type, or a
  value that can be NULL into a field that does not accept None).
- ``fetchplan.E004`` a DTO relation field typed without ``NotLoaded`` is not loaded by this plan.
- ``fetchplan.E005`` the plan loads a relation (or names a field) the DTO has no field for.
- ``fetchplan.E006`` a relation is declared with the wrong kind (``One`` on a to-many relation,
  ``Many`` on a to-one one), a nested plan of the wrong model, or a DTO field whose type does
  not hold what the relation loads.
- ``fetchplan.E007`` an expression in a plan nested as a to-one relation (annotate the root plan).
- ``fetchplan.E008`` the plan's model is not a concrete Django model or has a composite
  primary key (also a ``Many(scalar=...)``'s related model), or its DTO is not a DTO class (a
  pydantic model or a NamedTuple).
- ``fetchplan.E009`` ``Many(filter=..., order_by=...)`` names a field or lookup the related
  model does not have.
- ``fetchplan.E010`` a ``fields=`` value is neither a lookup path nor an expression, a
  ``relations=`` value is not ``One``/``Many`` (or holds something else than a plan), or a
  name is both a field source and a relation.
"""

NO_SOURCE = "fetchplan.E001"
BAD_PATH = "fetchplan.E002"
TYPE_MISMATCH = "fetchplan.E003"
RELATION_NOT_LOADED = "fetchplan.E004"
UNKNOWN_FIELD = "fetchplan.E005"
WRONG_RELATION = "fetchplan.E006"
NESTED_EXPRESSION = "fetchplan.E007"
NOT_A_DTO = "fetchplan.E008"
BAD_MANY_QUERY = "fetchplan.E009"
BAD_SOURCE = "fetchplan.E010"
