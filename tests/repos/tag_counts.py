"""Each tag's book count as stored (kept by migration 0006's triggers) and as counted live."""

from django.db.models import Count

from bookstore.models import Tag


def live() -> dict[int, int]:
    """Return each tag's number of books, counted from the links now."""
    return dict(Tag.objects.annotate(live=Count("books")).values_list("id", "live"))


def stored() -> dict[int, int]:
    """Return each tag's stored ``book_count``."""
    return dict(Tag.objects.values_list("id", "book_count"))
