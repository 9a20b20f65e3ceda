"""The benchmark scenarios: each module builds the variants of one scenario.

Each scenario measures one of the bookstore's own reads: the layer variants run the bookstore's
plans and repository functions (``repos/``) and return its DTOs (``dtos/``); the other variants
(raw SQL, naive and hand-tuned Django, django-readers) compute the same DTO's data their way.
A variant is a function from the scenario's argument (a size bound, a list of ids) to its
output, plus an untimed function that turns that output into plain records, so the harness
can check that every variant returned the same data, field by field.
"""
