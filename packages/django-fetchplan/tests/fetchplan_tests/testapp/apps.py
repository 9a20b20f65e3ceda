"""App configuration for the engine's test models."""

from typing import override

from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models used only by the engine tests."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

    @override
    def ready(self) -> None:
        # Register the test plans, so `manage.py check --settings=tests.settings` checks them.
        import tests.testapp.plans  # noqa: F401
