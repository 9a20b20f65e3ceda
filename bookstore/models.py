"""The bookstore schema.

Rules the data must obey are database constraints (not only model validation), so that no
code path - bulk_create, raw SQL, a concurrent writer - can store a rating of 6 or a negative
stock. Indexes follow the access paths of ``repos/``: books by author (newest first), by
publisher, by price and by publication date; reviews of a book, newest first; orders of a
customer, newest first.

Only ``repos/`` (and migrations, seeding, admin) may import this module.
"""

from decimal import Decimal
from typing import override

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Author(models.Model):
    """A person who wrote books."""

    name = models.CharField(max_length=200)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"], name="author_name_idx")]

    @override
    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    """A publishing house."""

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=100)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"], name="publisher_name_idx")]

    @override
    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A subject label; names are unique."""

    name = models.CharField(max_length=50, unique=True)
    # The number of books carrying the tag, stored so that the tag list reads a column instead
    # of counting every book-tag link per request. Triggers on the link table
    # (bookstore_book_tags, made by migration 0006) keep it exact whoever writes the links:
    # the ORM, bulk_create, raw SQL, deletes of books or tags, rollbacks. Code never sets it.
    book_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    @override
    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    """A title for sale."""

    title = models.CharField(max_length=300)
    isbn = models.CharField(max_length=13, unique=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateField()
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="books")
    publisher = models.ForeignKey(
        Publisher, on_delete=models.SET_NULL, null=True, blank=True, related_name="books"
    )
    tags = models.ManyToManyField(Tag, related_name="books", blank=True)
    # The book's reviews, summed up by every review write in its transaction
    # (repos/ratings.py), so that sorting by rating reads a column instead of averaging
    # every book's reviews per request. rating_average is rating_sum / rating_count rounded
    # to 4 places (0 without reviews): a decimal, so keyset pages compare it exactly on
    # every backend.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_average = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal(0))

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=Decimal(0)), name="book_price_gte_0"),
            models.CheckConstraint(
                condition=Q(rating_sum__gte=F("rating_count"))
                & Q(rating_sum__lte=F("rating_count") * 5),
                name="book_rating_sum_1_to_5_each",
            ),
            models.CheckConstraint(
                condition=Q(rating_average__gte=Decimal(0)) & Q(rating_average__lte=Decimal(5)),
                name="book_rating_average_0_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["title", "id"], name="book_title_idx"),
            models.Index(fields=["price", "id"], name="book_price_idx"),
            models.Index(fields=["published", "id"], name="book_published_idx"),
            models.Index(fields=["author", "-published"], name="book_author_published_idx"),
            models.Index(fields=["rating_average", "id"], name="book_rating_idx"),
        ]

    @override
    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """A reader's rating (1..5) and comment on a book."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["book", "-created"], name="review_book_created_idx")]

    @override
    def __str__(self) -> str:
        return f"{self.rating}/5 for book {self.book_id}"


class Customer(models.Model):
    """Someone who places orders; emails are unique.

    ``user`` is the site account the customer orders with: the API places a user's orders
    for their own customer only. Customers without an account (the seeded ones, orders
    taken by phone) have none; staff may order for them.
    """

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
    )

    class Meta:
        ordering = ["name", "id"]

    @override
    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    """A customer's order of one or more books."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        CANCELLED = "cancelled", "Cancelled"

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    # The account that placed the order (its customer's, or staff's for another customer).
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # A client's retry token (the Idempotency-Key header), unique per account that placed the
    # order: two concurrent requests of one user with one key cannot both insert, and two
    # users' keys never meet. NULL for orders placed without one ("" would be a key, and
    # would make a second keyless order of the same account a duplicate).
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    # sha256 of what the keyed request asked for: a retry must ask for the same thing.
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "paid", "shipped", "cancelled"]),
                name="order_status_valid",
            ),
            models.UniqueConstraint(
                fields=["placed_by", "idempotency_key"], name="order_key_per_account"
            ),
        ]
        indexes = [models.Index(fields=["customer", "-created"], name="order_customer_created_idx")]

    @override
    def __str__(self) -> str:
        return f"Order {self.pk} ({self.status})"


class OrderLine(models.Model):
    """One book in an order, with the quantity and the price paid per unit."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_gt_0"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=Decimal(0)), name="orderline_unit_price_gte_0"
            ),
            models.UniqueConstraint(fields=["order", "book"], name="orderline_one_per_book"),
        ]

    @override
    def __str__(self) -> str:
        return f"{self.quantity} x book {self.book_id}"


class Stock(models.Model):
    """How many copies of a book are on hand (one row per book)."""

    book = models.OneToOneField(Book, on_delete=models.CASCADE, related_name="stock")
    on_hand = models.IntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_gte_0"),
        ]

    @override
    def __str__(self) -> str:
        return f"{self.on_hand} of book {self.book_id}"


class ApiToken(models.Model):
    """A user's API token, stored as its SHA-256 digest: the token itself is shown once.

    Tokens are 256 random bits, so a fast hash is enough (no password hasher: checking one
    costs a SHA-256 and one indexed lookup, for a right or a wrong token alike).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, default="")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    @override
    def __str__(self) -> str:
        return f"API token {self.name or self.pk} of user {self.user_id}"
