"""``manage.py demo_reader``: the account ``make demo`` offers on its login page (DEBUG only)."""

from typing import Any, override

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bookstore.views_site import DEMO_READER

NOT_IN_PRODUCTION = (
    "demo_reader creates an account whose password is public; it runs only with DEBUG on."
)


class Command(BaseCommand):
    help = (
        "Create the demo reader account (or reset its password) so a visitor of `make demo` "
        "can log in and write reviews. Refuses to run unless DEBUG is on."
    )

    @override
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(NOT_IN_PRODUCTION)
        username, password = DEMO_READER
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        if options["verbosity"] > 0:
            verb = "Created" if created else "Reset the password of"
            self.stdout.write(f"{verb} the demo reader: {username} / {password}.")
