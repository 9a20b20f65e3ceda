"""``manage.py seed --books N [--seed S] [--reset] [--if-empty]``: fill the bookstore."""

import sys
import time
from typing import Any, override

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from bookstore.models import Book
from bookstore.seeding.generator import (
    Seeder,
    refresh_planner_statistics,
    reset_bookstore,
    statement_timeout_lifted,
)


class Command(BaseCommand):
    help = (
        "Generate deterministic bookstore data: authors, publishers, tags, customers, books "
        "with tags, 0..20 reviews each and stock. The same --seed on the same starting "
        "database gives the same rows."
    )

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--books", type=int, required=True, help="number of books to add")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete all bookstore rows and restart id sequences first",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any book exists already"
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="rows per INSERT batch (default 2000)"
        )

    @override
    def handle(self, *args: Any, **options: Any) -> None:
        books: int = options["books"]
        batch_size: int = options["batch_size"]
        if books < 0:
            raise CommandError("--books must be >= 0")
        if batch_size < 1:
            raise CommandError("--batch-size must be >= 1")
        with statement_timeout_lifted():  # the site's 5 s limit is for requests, not a bulk load
            if options["reset"]:
                reset_bookstore()
            elif options["if_empty"] and Book.objects.exists():
                self.stdout.write("Books exist already: not seeding (drop --if-empty to add more).")
                return

            started = time.perf_counter()
            with tqdm(
                total=books,
                unit="book",
                desc="seeding",
                disable=options["verbosity"] == 0,
                file=sys.stderr,
            ) as bar:
                seeder = Seeder(
                    books=books,
                    seed=options["seed"],
                    batch_size=batch_size,
                    on_books_written=bar.update,
                )
                counts = seeder.run()
            refresh_planner_statistics()
        elapsed = time.perf_counter() - started
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Seeded {counts.books} books, {counts.authors} authors, "
                f"{counts.publishers} publishers, {counts.tags} tags, "
                f"{counts.customers} customers, "
                f"{counts.book_tags} book-tag links, {counts.reviews} reviews "
                f"in {elapsed:.1f} s."
            )
