"""The Django app: ``INSTALLED_APPS += ["fetchplan"]`` gives the system checks on every plan,
``manage.py plans`` and ``manage.py shell --print-sql``.

``ready()`` imports each installed app's ``repos`` module (``<app>/repos.py``, or the package
``<app>/repos/`` with all its submodules), the way the admin discovers ``admin.py``, so every
plan declared at module level there is registered before the checks run. A project whose
repository modules live elsewhere names them in ``FETCHPLAN_REPOS_MODULES`` (a list of dotted
module or package names). Plans declared anywhere else are still checked: at their first
compile (first fetch, ``budget()``, ``explain()``).
"""

from typing import override

from django.apps import AppConfig


class FetchplanConfig(AppConfig):
    """django-fetchplan: plan checks, ``manage.py plans``, ``shell --print-sql``."""

    name = "fetchplan"
    verbose_name = "Fetch plans"

    @override
    def ready(self) -> None:
        import fetchplan.plan.checks  # noqa: F401  (registers the system checks)
        from fetchplan.discovery import autodiscover
        from fetchplan.observe.hook import ensure_installed

        ensure_installed()
        autodiscover()
