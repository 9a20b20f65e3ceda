"""App configuration for the data-access layer.

``ready()`` imports every module of the ``repos`` package, so that every plan declared at module
level is registered before Django's system checks verify them (``manage.py check``).
"""

import importlib
import pkgutil
from typing import override

from django.apps import AppConfig


class ReposConfig(AppConfig):
    """The data-access layer: repository functions, the fetch-plan engine, query tools."""

    name = "repos"

    @override
    def ready(self) -> None:
        import repos

        for module in pkgutil.walk_packages(repos.__path__, prefix="repos."):
            if module.name.endswith(".pytest_plugin"):
                continue  # needs pytest, which production installs lack; declares no plans
            importlib.import_module(module.name)
