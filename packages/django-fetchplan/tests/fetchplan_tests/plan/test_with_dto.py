"""``plan.with_dto(Richer)``: the same plan building a DTO that says what it loaded."""

import pytest
from fetchplan import fetch_all
from fetchplan.dto import NotLoaded
from fetchplan.plan.check_ids import NO_SOURCE
from fetchplan.plan.errors import PlanError

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import NovelWithChapters
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel

pytestmark = pytest.mark.django_db


def total_words(novel: NovelWithChapters) -> int:
    """Needs the chapters, and says so in its signature: no NotLoaded to narrow."""
    return sum(chapter.words for chapter in novel.chapters)


def test_with_dto_builds_the_narrower_dto_with_the_same_queries() -> None:
    make_library(writers=3)
    plan = plans.NOVEL.with_dto(NovelWithChapters)
    assert plan.budget() == plans.NOVEL.budget()
    wide = fetch_all(plans.NOVEL, Novel.objects.order_by("pk"))
    narrow = fetch_all(plan, Novel.objects.order_by("pk"))
    assert all(type(novel) is NovelWithChapters for novel in narrow)
    assert [n.model_dump() for n in narrow] == [w.model_dump() for w in wide]
    assert [total_words(n) for n in narrow] == [
        sum(c.words for c in w.chapters) if not isinstance(w.chapters, NotLoaded) else -1
        for w in wide
    ]


def test_with_dto_over_a_plan_that_does_not_load_the_narrowed_relation_fails() -> None:
    plan = plans.NOVEL_BARE.with_dto(NovelWithChapters)  # chapters: not loaded by NOVEL_BARE
    with pytest.raises(PlanError) as raised:
        plan.budget()
    problems = [(p.id, p.msg) for p in raised.value.problems]
    assert [id for id, _ in problems] == [NO_SOURCE]
    assert "NovelWithChapters.chapters" in problems[0][1]
