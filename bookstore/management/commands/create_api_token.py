"""``manage.py create_api_token USERNAME [--name N] [--create-user] [--with-customer]``.

Prints a new API token for the user, on one line, and nothing else: the token is shown this
once (only its SHA-256 digest is stored). ``--create-user`` makes the account if it does not
exist (with no usable password: it logs in with tokens only); ``--with-customer`` links a
customer to the account if it has none, so it can place orders.
"""

from typing import Any, override

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from repos.api_tokens import create_token
from repos.customers import ensure_customer_for

NO_SUCH_USER = "No user {username!r}; add --create-user to create it."


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once; stored hashed)."

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label for the token (e.g. 'laptop')")
        parser.add_argument(
            "--create-user", action="store_true", help="create the user if it does not exist"
        )
        parser.add_argument(
            "--with-customer",
            action="store_true",
            help="link a customer to the account if it has none (to place orders)",
        )

    @override
    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        users = get_user_model()._default_manager
        user = users.filter(username=username).first()
        if user is None:
            if not options["create_user"]:
                raise CommandError(NO_SUCH_USER.format(username=username))
            user = users.create_user(username=username)
        if options["with_customer"]:
            ensure_customer_for(
                user_id=user.pk, name=username, email=f"{username}@customers.invalid"
            )
        self.stdout.write(create_token(user_id=user.pk, name=options["name"]))
