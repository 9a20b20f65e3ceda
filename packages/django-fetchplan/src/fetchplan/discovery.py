"""Find the modules that declare plans: every installed app's ``repos`` module or package.

Importing a module registers the plans it declares at module level (see ``plan.registry``).
A package is imported with all its submodules, so ``<app>/repos/books.py`` is found too.
"""

import importlib
import importlib.util
import pkgutil
from types import ModuleType

from django.apps import apps
from django.conf import settings

REPOS_MODULE = "repos"
# Modules that need a test runner to import; they declare no plans.
SKIPPED_SUFFIXES = (".pytest_plugin", ".conftest")


def autodiscover() -> list[str]:
    """Import every repository module of the installed apps; return their dotted names.

    Looks for ``<app>.repos`` in each installed app, then every module named in the
    ``FETCHPLAN_REPOS_MODULES`` setting. A missing ``repos`` module is not an error; an
    import error inside one is raised as is (it is the app's bug to see).
    """
    names = [f"{config.name}.{REPOS_MODULE}" for config in apps.get_app_configs()]
    found: list[str] = []
    for name in names:
        if _exists(name):
            found.extend(_import_tree(name))
    for name in getattr(settings, "FETCHPLAN_REPOS_MODULES", ()):
        found.extend(_import_tree(name))
    return found


def _exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package itself is missing
        return False


def _import_tree(name: str) -> list[str]:
    module = importlib.import_module(name)
    imported = [name]
    if _is_package(module):
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{name}."):
            if info.name.endswith(SKIPPED_SUFFIXES):
                continue
            importlib.import_module(info.name)
            imported.append(info.name)
    return imported


def _is_package(module: ModuleType) -> bool:
    return hasattr(module, "__path__")
