"""The layer's plans for each scenario: values + pydantic, values + NamedTuple, instances."""

from django.db.models import Count
from fetchplan import Many, One, Plan, Source, Strategy

from bench.scenarios import dtos
from bookstore.models import Author, Book, Publisher, Review

# -- scenario 1 ----------------------------------------------------------------------------

_LIST_FIELDS: dict[str, Source] = {
    "author_name": "author__name",
    "publisher_name": "publisher__name",
    "review_count": Count("reviews"),
}
_TAG_NAMES = {"tags": Many(scalar="name")}

BOOK_ROW = Plan(Book, dtos.BookRow, fields=_LIST_FIELDS, relations=_TAG_NAMES)
BOOK_ROW_TUPLE = Plan(Book, dtos.BookRowTuple, fields=_LIST_FIELDS, relations=_TAG_NAMES)
BOOK_ROW_INSTANCES = BOOK_ROW.with_strategy(Strategy.INSTANCES)

# -- scenario 2 ----------------------------------------------------------------------------

LATEST_REVIEWS = 5
_REVIEW_ORDER = ("-created",)

BOOK_DETAIL = Plan(
    Book,
    dtos.BookDetail,
    relations={
        "author": One(Plan(Author, dtos.AuthorRef)),
        "publisher": One(Plan(Publisher, dtos.PublisherRef)),
        "tags": Many(scalar="name"),
        "reviews": Many(
            Plan(Review, dtos.ReviewItem), order_by=_REVIEW_ORDER, limit=LATEST_REVIEWS
        ),
    },
)
BOOK_DETAIL_TUPLE = Plan(
    Book,
    dtos.BookDetailTuple,
    relations={
        "author": One(Plan(Author, dtos.AuthorRefTuple)),
        "publisher": One(Plan(Publisher, dtos.PublisherRefTuple)),
        "tags": Many(scalar="name"),
        "reviews": Many(
            Plan(Review, dtos.ReviewItemTuple), order_by=_REVIEW_ORDER, limit=LATEST_REVIEWS
        ),
    },
)
BOOK_DETAIL_INSTANCES = BOOK_DETAIL.with_strategy(Strategy.INSTANCES)

# -- scenario 3 ----------------------------------------------------------------------------

LATEST_BOOKS = 10
_BOOK_ORDER = ("-published",)

AUTHOR_DETAIL = Plan(
    Author,
    dtos.AuthorDetail,
    relations={
        "books": Many(
            Plan(Book, dtos.AuthorBook, relations=_TAG_NAMES),
            order_by=_BOOK_ORDER,
            limit=LATEST_BOOKS,
        )
    },
)
AUTHOR_DETAIL_TUPLE = Plan(
    Author,
    dtos.AuthorDetailTuple,
    relations={
        "books": Many(
            Plan(Book, dtos.AuthorBookTuple, relations=_TAG_NAMES),
            order_by=_BOOK_ORDER,
            limit=LATEST_BOOKS,
        )
    },
)
AUTHOR_DETAIL_INSTANCES = AUTHOR_DETAIL.with_strategy(Strategy.INSTANCES)

# -- scenario 4 ----------------------------------------------------------------------------

EXPORT = Plan(Book, dtos.ExportBook)
EXPORT_TUPLE = Plan(Book, dtos.ExportBookTuple)
