"""Rows for the write tests, and a snapshot of everything a write could change."""

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Permission, User

from bookstore.models import Author, Book, Customer, Order, OrderLine, Publisher, Review, Stock
from bookstore.seeding.generator import isbn13
from repos.api_tokens import create_token

_serial = count(1)
PASSWORD = "correct horse battery staple"


def make_author(*, name: str = "Ann Author") -> Author:
    """Create an author."""
    return Author.objects.create(name=name)


def make_publisher(*, name: str = "Pub House") -> Publisher:
    """Create a publisher."""
    return Publisher.objects.create(name=name, country="NL")


def make_book(
    *,
    stock: int | None = 10,
    price: str = "12.50",
    title: str = "A Book",
    author: Author | None = None,
) -> Book:
    """Create a book (a fresh author unless given) with ``stock`` copies (no Stock row if None)."""
    book = Book.objects.create(
        title=title,
        isbn=isbn13(next(_serial) + 500_000),
        price=Decimal(price),
        published=date(2020, 1, 1),
        author=author or make_author(),
    )
    if stock is not None:
        Stock.objects.create(book=book, on_hand=stock)
    return book


def make_customer(*, user: User | None = None) -> Customer:
    """Create a customer with a unique email, the customer of ``user``'s account if given."""
    n = next(_serial)
    return Customer.objects.create(name=f"Customer {n}", email=f"c{n}@example.com", user=user)


def make_user(
    *, perms: tuple[str, ...] = (), username: str = "writer", staff: bool = False
) -> User:
    """Create an active user with ``PASSWORD`` and the given ``app.codename`` permissions."""
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_buyer(*, username: str = "buyer", staff: bool = False) -> tuple[User, Customer]:
    """Create a user and the customer their account orders for."""
    user = make_user(username=username, staff=staff)
    return user, make_customer(user=user)


def buyer_id() -> int:
    """Return the id of the account "buyer" (created on first use) that repo tests order as."""
    return User.objects.get_or_create(username="buyer")[0].pk


def token_auth(user: User) -> dict[str, str]:
    """Return test-client headers authenticating ``user`` with a new API token."""
    return {"Authorization": f"Bearer {create_token(user_id=user.pk, name='test')}"}


def basic_auth(username: str, password: str = PASSWORD) -> dict[str, str]:
    """Return HTTP basic headers: credentials the API does not accept (it takes tokens)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@dataclass(frozen=True)
class Snapshot:
    """Every row count and stock level a write could change."""

    books: tuple[tuple[object, ...], ...]
    reviews: int
    orders: int
    lines: int
    stock: tuple[tuple[int, int], ...]
    authors: int
    publishers: int
    customers: int


def snapshot() -> Snapshot:
    """Return the current state of every table a write touches."""
    return Snapshot(
        books=tuple(
            Book.objects.order_by("pk").values_list(
                "pk", "title", "isbn", "price", "published", "author_id", "publisher_id"
            )
        ),
        reviews=Review.objects.count(),
        orders=Order.objects.count(),
        lines=OrderLine.objects.count(),
        stock=tuple(Stock.objects.order_by("book_id").values_list("book_id", "on_hand")),
        authors=Author.objects.count(),
        publishers=Publisher.objects.count(),
        customers=Customer.objects.count(),
    )
