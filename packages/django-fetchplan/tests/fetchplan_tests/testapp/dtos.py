"""DTOs of the engine's test models: pydantic DTOs and one NamedTuple."""

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from fetchplan.dto import DTO, NotLoaded


class CountryDTO(DTO):
    id: int
    name: str


class WriterRef(DTO):
    id: int
    name: str


class ChapterDTO(DTO):
    id: int
    number: int
    words: int
    written: datetime


class NovelDTO(DTO):
    id: int
    title: str
    price: Decimal
    published: date
    in_print: bool
    writer_name: str
    chapter_count: int
    writer: WriterRef | NotLoaded
    labels: tuple[str, ...] | NotLoaded
    chapters: tuple[ChapterDTO, ...] | NotLoaded


class WriterCard(DTO):
    id: int
    name: str
    born: int | None
    novel_count: int
    average_words: float | None
    country: CountryDTO | NotLoaded | None
    mentor: WriterRef | NotLoaded | None
    novels: tuple[NovelDTO, ...] | NotLoaded


class ProfileBio(DTO):
    id: int
    bio: str


class ProfileDTO(DTO):
    id: int
    bio: str
    writer: WriterRef


class WriterWithProfile(DTO):
    id: int
    name: str
    profile: ProfileBio | None


class ClubRef(DTO):
    id: int
    name: str


class ClubDTO(DTO):
    id: int
    name: str
    members: tuple[WriterRef, ...]


class WriterClubs(DTO):
    id: int
    name: str
    clubs: tuple[ClubRef, ...]
    mentor: WriterRef | None
    mentees: tuple[WriterRef, ...]


class NovelRow(NamedTuple):
    """A NamedTuple DTO: positional, light, still typed."""

    id: int
    title: str
    writer_name: str
    country_name: str | None
    labels: tuple[str, ...]


class NovelWithChapters(NovelDTO):
    """NovelDTO whose chapters are loaded: for ``plans.NOVEL.with_dto(NovelWithChapters)``."""

    chapters: tuple[ChapterDTO, ...]
