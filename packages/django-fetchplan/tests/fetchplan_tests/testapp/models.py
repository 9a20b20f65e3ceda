"""Small models the engine tests run against (the engine must not depend on the bookstore).

They cover every relation kind the engine supports: FK, nullable FK, self-FK, reverse FK
(also one whose foreign key targets a unique field, not the primary key: ``Alias``),
UUID and text primary keys (``Imprint``, ``Edition``), multi-table inheritance and a proxy,
and generic relations, which plans refuse (``Remark``, ``Label.remarks``),
one-to-one and its reverse, many-to-many, and many-to-many through a model with extra fields.
"""

import uuid
from typing import override

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Country(models.Model):
    """Where a writer lives."""

    name = models.CharField(max_length=100, unique=True)

    @override
    def __str__(self) -> str:
        return self.name


class Writer(models.Model):
    """A writer; ``country`` and ``mentor`` (a self-FK) are nullable."""

    name = models.CharField(max_length=100)
    born = models.IntegerField(null=True)
    country = models.ForeignKey(
        Country, null=True, on_delete=models.SET_NULL, related_name="writers"
    )
    mentor = models.ForeignKey("self", null=True, on_delete=models.SET_NULL, related_name="mentees")

    class Meta:
        ordering = ["name", "id"]

    @override
    def __str__(self) -> str:
        return self.name

    def shout(self) -> str:
        """A model method, the reason a plan may use the instances strategy."""
        return self.name.upper()


class Profile(models.Model):
    """One-to-one with Writer (reverse accessor ``writer.profile``)."""

    writer = models.OneToOneField(Writer, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField()

    @override
    def __str__(self) -> str:
        return f"profile of writer {self.writer_id}"


class Remark(models.Model):
    """A remark on any object (a generic foreign key): plans refuse to follow it
    (``fetchplan.E002``, and the mypy plugin's ``plan-path`` / ``plan-relation``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.CharField(max_length=100)

    @override
    def __str__(self) -> str:
        return self.text


class Label(models.Model):
    """A tag on novels (many-to-many)."""

    name = models.CharField(max_length=50, unique=True)
    remarks = GenericRelation(Remark)  # no column: a generic relation, which plans refuse

    class Meta:
        ordering = ["name"]

    @override
    def __str__(self) -> str:
        return self.name


class Novel(models.Model):
    """A writer's novel: FK to Writer, many-to-many to Label, reverse FK from Chapter."""

    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateField()
    in_print = models.BooleanField(default=True)
    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="novels")
    labels = models.ManyToManyField(Label, related_name="novels", blank=True)

    class Meta:
        ordering = ["title", "id"]

    @override
    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    """A chapter of a novel (reverse FK ``novel.chapters``): the third nesting level."""

    novel = models.ForeignKey(Novel, on_delete=models.CASCADE, related_name="chapters")
    number = models.IntegerField()
    words = models.IntegerField()
    written = models.DateTimeField()

    class Meta:
        ordering = ["number", "id"]

    @override
    def __str__(self) -> str:
        return f"chapter {self.number} of novel {self.novel_id}"


class Club(models.Model):
    """A writers' club; members join through ``Membership`` (M2M with a through model)."""

    name = models.CharField(max_length=100)
    members = models.ManyToManyField(Writer, through="Membership", related_name="clubs")

    @override
    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """The through model of Club.members, with an extra column."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE)
    writer = models.ForeignKey(Writer, on_delete=models.CASCADE)
    role = models.CharField(max_length=20)

    @override
    def __str__(self) -> str:
        return f"{self.role} of club {self.club_id}"


class Alias(models.Model):
    """Another name of a label. Its foreign key targets ``Label.name``, not the primary key
    (``to_field``): the column holds the label's name, while the engine groups children by
    their parent's primary key."""

    label = models.ForeignKey(
        Label, to_field="name", on_delete=models.CASCADE, related_name="aliases"
    )
    text = models.CharField(max_length=50)

    @override
    def __str__(self) -> str:
        return f"{self.text} (alias of {self.label_id})"


class Imprint(models.Model):
    """A publisher's imprint, with a UUID primary key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=50)

    @override
    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    """An imprint's edition: a text primary key, and a default order with an expression
    (``Many()`` without ``order_by`` follows it, nulls last)."""

    code = models.CharField(max_length=20, primary_key=True)
    imprint = models.ForeignKey(Imprint, on_delete=models.CASCADE, related_name="editions")
    year = models.IntegerField(null=True)

    class Meta:
        ordering = [models.F("year").desc(nulls_last=True), "code"]

    @override
    def __str__(self) -> str:
        return self.code


class Anthology(Novel):
    """A novel that collects others (multi-table inheritance: its own table, joined to
    Novel's by ``novel_ptr``)."""

    editor = models.CharField(max_length=100)


class ClassicNovel(Novel):
    """Novel, as a proxy model."""

    class Meta:
        proxy = True
