"""Django's ``shell``, plus ``--print-sql``: print each statement as it runs.

    python manage.py shell --print-sql
    python manage.py shell --print-sql -c "from bookstore.models import Book; Book.objects.first()"

Each statement prints as its SQL, then a comment line with its time, alias, parameters and the
line that ran it (``<console>:1`` for code typed at the prompt). Works with every interface
(python, IPython, bpython) and with ``-c`` and piped stdin, because the printer is an observer
active in the shell's context for the whole session.
"""

from typing import Any, override

from django.core.management.base import CommandParser, OutputWrapper
from django.core.management.commands.shell import Command as DjangoShellCommand

from fetchplan.observe.hook import QueryRecord, observing

SQL_LINE = "{sql}\n-- {ms:.2f} ms on {alias}, params {params!r}, at {call_site}"


class SqlPrinter:
    """An observer that writes each statement to ``out`` as it finishes."""

    wants_call_site = True

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def add(self, record: QueryRecord) -> None:
        """Write one statement: SQL, then time, alias, parameters and call site."""
        self.out.write(
            SQL_LINE.format(
                sql=record.sql,
                ms=record.duration * 1000,
                alias=record.alias,
                params=record.params,
                call_site=record.call_site,
            )
        )


class Command(DjangoShellCommand):
    """Django's shell with a ``--print-sql`` flag."""

    help = DjangoShellCommand.help + " With --print-sql, prints each SQL statement as it runs."

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--print-sql",
            action="store_true",
            help="Print each SQL statement, its time, parameters and call site as it runs.",
        )

    @override
    def handle(self, **options: Any) -> None:
        if not options["print_sql"]:
            return super().handle(**options)
        with observing(SqlPrinter(self.stdout)):
            return super().handle(**options)
