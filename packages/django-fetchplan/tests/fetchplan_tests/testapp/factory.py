"""Build deterministic test data for the engine's test models, with bulk inserts."""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from fetchplan_tests.testapp.models import (
    Chapter,
    Club,
    Country,
    Label,
    Membership,
    Novel,
    Profile,
    Writer,
)

WRITTEN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Library:
    """What :func:`make_library` created."""

    writers: int
    novels: int


def make_library(*, writers: int, novels_per_writer: int = 3, seed: int = 0) -> Library:
    """Create writers (some mentored, some without country or profile), novels with labels
    and chapters, and clubs with members. Every relation kind has rows and gaps.
    """
    rng = random.Random(seed)
    countries = Country.objects.bulk_create([Country(name=f"Country {seed}-{i}") for i in range(3)])
    labels = Label.objects.bulk_create([Label(name=f"label-{seed}-{i}") for i in range(5)])
    people: list[Writer] = []
    for i in range(writers):
        country = countries[i % 3] if i % 4 else None
        people.append(Writer(name=f"Writer {seed}-{i:05d}", born=1900 + i % 100 if i % 5 else None,
                             country=country))  # fmt: skip
    Writer.objects.bulk_create(people)
    for i, writer in enumerate(people):
        if i % 3 == 1:
            writer.mentor = people[i - 1]
    Writer.objects.bulk_update(people, ["mentor"])
    Profile.objects.bulk_create(
        [Profile(writer=w, bio=f"Bio of {w.name}") for i, w in enumerate(people) if i % 2]
    )
    novels = [
        Novel(
            title=f"Novel {i:05d}-{j}",
            price=Decimal(rng.randint(100, 5000)).scaleb(-2),
            published=dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(10_000)),
            in_print=bool(rng.randrange(2)),
            writer=writer,
        )
        for i, writer in enumerate(people)
        for j in range(novels_per_writer)
    ]
    Novel.objects.bulk_create(novels)
    through = Novel.labels.through
    through.objects.bulk_create(
        [
            through(novel_id=novel.pk, label_id=label.pk)
            for novel in novels
            for label in rng.sample(labels, rng.randint(0, 3))
        ]
    )
    Chapter.objects.bulk_create(
        [
            Chapter(
                novel=novel,
                number=n,
                words=rng.randint(200, 3000),
                written=WRITTEN + dt.timedelta(hours=rng.randrange(10_000)),
            )
            for novel in novels
            for n in range(rng.randint(0, 4))
        ]
    )
    clubs = Club.objects.bulk_create([Club(name=f"Club {i}") for i in range(3)])
    Membership.objects.bulk_create(
        [
            Membership(club=club, writer=writer, role="member")
            for i, writer in enumerate(people)
            for club in clubs[: i % 3]
        ]
    )
    return Library(writers=writers, novels=len(novels))
