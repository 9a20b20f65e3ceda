"""Rating summaries of a book, from the counts its DTO carries."""

from dataclasses import dataclass

from dtos.books import BookDetail

STARS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class StarShare:
    """How many reviews gave ``stars`` stars, and their share of all reviews (0..100)."""

    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class RatingSummary:
    """A book's ratings at a glance: count, average (1 decimal), per-star shares, a label."""

    count: int
    average: float | None
    shares: tuple[StarShare, ...]
    label: str


def rating_summary(book: BookDetail) -> RatingSummary:
    """Return the rating summary of ``book`` (highest stars first).

    Example::

        rating_summary(book).label  # -> "4.2 / 5 from 17 reviews"
    """
    counts = {1: book.stars_1, 2: book.stars_2, 3: book.stars_3, 4: book.stars_4, 5: book.stars_5}
    total = sum(counts.values())
    shares = tuple(
        StarShare(stars=stars, count=counts[stars], percent=_percent(counts[stars], total))
        for stars in reversed(STARS)
    )
    if total == 0 or book.average_rating is None:
        return RatingSummary(count=0, average=None, shares=shares, label="No reviews yet")
    average = round(book.average_rating, 1)
    noun = "review" if total == 1 else "reviews"
    return RatingSummary(
        count=total, average=average, shares=shares, label=f"{average} / 5 from {total} {noun}"
    )


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
