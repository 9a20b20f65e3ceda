"""App configuration for the engine's test models."""

from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models used only by the library's tests; its plans are found by autodiscovery
    (``fetchplan_tests.testapp.repos`` imports them), as in any project's app.
    """

    name = "fetchplan_tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
