"""How the pages word things: sort labels, the active filters as removable chips, 404s.

Pure functions over DTOs and the query string: no model, no query. Views call them and hand
the results to templates.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from fetchplan import NotFound

from dtos.books import SORT_KEYS, BookFilters, BookPage, SortKey

SORT_LABELS: Mapping[SortKey, str] = {
    "title": "Title, A to Z",
    "-title": "Title, Z to A",
    "price": "Price, lowest first",
    "-price": "Price, highest first",
    "published": "Oldest first",
    "-published": "Newest first",
    "rating": "Rating, lowest first",
    "-rating": "Best rated first",
}
# (value, label) pairs in the order of SORT_KEYS, for the sort menus.
SORT_OPTIONS: tuple[tuple[SortKey, str], ...] = tuple((key, SORT_LABELS[key]) for key in SORT_KEYS)

# Query parameters that are not filters: a chip's link keeps them (sort, page size) or drops
# them (the cursor: a page of another result set means nothing).
KEPT_PARAMETERS = ("sort", "limit")

NO_SUCH_ID = "There is no {noun} with the id {value}."
NO_SUCH_NAME = "There is no {noun} called “{value}”."
NO_SUCH_ROW = "There is no such {noun}."
NO_SUCH_PAGE = "There is no page at {path}."
MAX_SHOWN_VALUE = 80


@dataclass(frozen=True)
class Chip:
    """An active filter as the page shows it, and the link that removes it."""

    label: str
    remove_url: str


def url_without(query: QueryDict, *, path: str, drop: tuple[str, ...] = ()) -> str:
    """Return ``path`` with ``query`` minus ``drop``, the cursor and empty values."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        if key in drop or key == "cursor":
            continue
        for value in values:
            if value != "":
                kept.appendlist(key, value)
    encoded = kept.urlencode()
    return f"{path}?{encoded}" if encoded else path


def filter_chips(
    filters: BookFilters,
    query: QueryDict,
    *,
    path: str,
    author_name: str | None,
    publisher_name: str | None,
) -> tuple[Chip, ...]:
    """Return one chip per active filter, each linking to the page without that filter.

    ``author_name`` and ``publisher_name`` name the filtered author and publisher when known
    (else the chip shows the id).
    """
    chips: list[tuple[str, str]] = []
    if filters.q:
        chips.append((f"Title contains “{filters.q}”", "q"))
    if filters.tag is not None:
        chips.append((f"Tag: {filters.tag}", "tag"))
    if filters.author is not None:
        chips.append((f"Author: {author_name or f'#{filters.author}'}", "author"))
    if filters.publisher is not None:
        chips.append((f"Publisher: {publisher_name or f'#{filters.publisher}'}", "publisher"))
    if filters.price_min is not None:
        chips.append((f"Price from {filters.price_min}", "price_min"))
    if filters.price_max is not None:
        chips.append((f"Price up to {filters.price_max}", "price_max"))
    return tuple(
        Chip(label=label, remove_url=url_without(query, path=path, drop=(key,)))
        for label, key in chips
    )


def clear_filters_url(query: QueryDict, *, path: str) -> str:
    """Return ``path`` with every filter removed, keeping the sort and the page size."""
    dropped = tuple(key for key in query if key not in KEPT_PARAMETERS)
    return url_without(query, path=path, drop=dropped)


def author_choices(page: BookPage, *, active: int | None) -> tuple[tuple[int, str], ...]:
    """Return the (id, name) of each author on ``page`` by name, and the ``active`` one.

    The author menu offers the authors in view, so a reader can narrow the list to one of
    them without a query over every author (thousands of options); an author's page links to
    all of their books.
    """
    names = {row.author_id: row.author_name for row in page.items}
    if active is not None and active not in names:
        names[active] = f"#{active}"
    return tuple(sorted(names.items(), key=lambda item: (item[1], item[0])))


def author_name_on(page: BookPage, author_id: int | None) -> str | None:
    """Return the name of author ``author_id`` if a row of ``page`` carries it (no query)."""
    return next((row.author_name for row in page.items if row.author_id == author_id), None)


def menu_options(choices: Iterable[tuple[object, object]], *, selected: object) -> SafeString:
    """Return the ``<option>`` elements of a menu, one per (value, label), both escaped; the
    option whose value equals ``selected`` is marked selected.

    The markup is what a template loop writes (``<option value="{{ value }}"{% if value ==
    selected %} selected{% endif %}>{{ label }}</option>``, no space between options), built
    here because the book list's menus hold every tag and publisher (250 options at 10,000
    books) and the template engine spent about 9 ms a request on them (4 lookups, a comparison
    and 2 escapes per option), more than half of rendering the page. ``html.escape`` is what
    Django's ``escape`` runs, without its check for lazy strings on every call.
    """
    return mark_safe(  # every value and label escaped below
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


def not_found_message(error: NotFound) -> str:
    """Return a sentence for a person about what was not found (never a Python dict).

    ``NotFound("Book", {"pk": 7})`` -> "There is no book with the id 7."
    """
    noun = error.model.lower()
    if len(error.lookup) != 1:
        return NO_SUCH_ROW.format(noun=noun)
    ((key, value),) = error.lookup.items()
    shown = str(value)[:MAX_SHOWN_VALUE]
    if key in ("pk", "id"):
        return NO_SUCH_ID.format(noun=noun, value=shown)
    if key.endswith("_id"):  # a URL's id no row can have: its name says what it is
        return NO_SUCH_ID.format(noun=key.removesuffix("_id").replace("_", " "), value=shown)
    if key == "name":
        return NO_SUCH_NAME.format(noun=noun, value=shown)
    return NO_SUCH_ROW.format(noun=noun)
