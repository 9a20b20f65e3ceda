"""App configuration for the bookstore."""

from typing import override

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class BookstoreConfig(AppConfig):
    """The bookstore application: models, views, seeding."""

    name = "bookstore"
    default_auto_field = "django.db.models.BigAutoField"

    @override
    def ready(self) -> None:
        """Give each new MariaDB connection the site's statement limit (bookstore.db_session)."""
        from bookstore.db_session import set_session_limits

        connection_created.connect(set_session_limits, dispatch_uid="bookstore.db_session")
