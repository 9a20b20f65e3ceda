"""App configuration for the engine's test models."""

from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models used only by the engine tests."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
