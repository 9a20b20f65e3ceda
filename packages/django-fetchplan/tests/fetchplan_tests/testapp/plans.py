"""Plans over the engine's test models, covering every relation kind."""

from django.db.models import Avg, Count, Q
from fetchplan import Many, One, Plan

from fetchplan_tests.testapp import dtos, models

COUNTRY = Plan(models.Country, dtos.CountryDTO)
WRITER_REF = Plan(models.Writer, dtos.WriterRef)
CHAPTER = Plan(models.Chapter, dtos.ChapterDTO)
CLUB_REF = Plan(models.Club, dtos.ClubRef)

NOVEL = Plan(
    models.Novel,
    dtos.NovelDTO,
    fields={"writer_name": "writer__name", "chapter_count": Count("chapters")},
    relations={
        "writer": One(WRITER_REF),
        "labels": Many(scalar="name"),
        "chapters": Many(CHAPTER),
    },
    name="novel (full)",
)

NOVEL_BARE = Plan(
    models.Novel,
    dtos.NovelDTO,
    fields={"writer_name": "writer__name", "chapter_count": Count("chapters")},
    name="novel (no relations)",
)

# Three levels: writer -> 2 latest novels -> chapters (long ones only) and labels.
WRITER_CARD = Plan(
    models.Writer,
    dtos.WriterCard,
    fields={
        "novel_count": Count("novels", distinct=True),
        "average_words": Avg("novels__chapters__words"),
    },
    relations={
        "country": One(COUNTRY),
        "mentor": One(WRITER_REF),
        "novels": Many(
            NOVEL.with_relations(chapters=Many(CHAPTER, filter=Q(words__gte=1000))),
            order_by=("-published",),
            limit=2,
        ),
    },
    name="writer card",
)

PROFILE = Plan(models.Profile, dtos.ProfileDTO, relations={"writer": One(WRITER_REF)})
PROFILE_BIO = Plan(models.Profile, dtos.ProfileBio)
WRITER_PROFILE = Plan(
    models.Writer, dtos.WriterWithProfile, relations={"profile": One(PROFILE_BIO)}
)

CLUB = Plan(models.Club, dtos.ClubDTO, relations={"members": Many(WRITER_REF)})

WRITER_CLUBS = Plan(
    models.Writer,
    dtos.WriterClubs,
    relations={
        "clubs": Many(CLUB_REF, order_by=("name",)),
        "mentor": One(WRITER_REF),
        "mentees": Many(WRITER_REF),
    },
)

NOVEL_ROW = Plan(
    models.Novel,
    dtos.NovelRow,
    fields={"writer_name": "writer__name", "country_name": "writer__country__name"},
    relations={"labels": Many(scalar="name")},
)
