"""Rows of the test app for the observe tests (the tools are generic; these are just data)."""

import datetime
from decimal import Decimal

from fetchplan_tests.testapp.models import Chapter, Novel, Writer

WRITTEN = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def make_novels(count: int, *, chapters_each: int = 0, prefix: str = "b") -> list[Novel]:
    """Create ``count`` novels, each with its own writer and ``chapters_each`` chapters."""
    novels = []
    for index in range(count):
        writer = Writer.objects.create(name=f"Writer {prefix}{index}")
        novel = Novel.objects.create(
            title=f"Title {prefix}{index}",
            price=Decimal("9.99"),
            published=datetime.date(2020, 1, 1),
            writer=writer,
        )
        for number in range(chapters_each):
            Chapter.objects.create(novel=novel, number=number, words=1000, written=WRITTEN)
        novels.append(novel)
    return novels
