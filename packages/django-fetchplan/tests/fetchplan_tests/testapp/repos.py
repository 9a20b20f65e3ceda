"""Repository functions over the test models, as an app of a project would write them.

The ``fetchplan`` app imports this module at startup (autodiscovery of ``<app>.repos``), which
registers the test plans for ``manage.py check`` and ``manage.py plans``.
"""

from fetchplan import fetch_all

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import NovelDTO
from fetchplan_tests.testapp.models import Novel


def list_recent_novels(*, limit: int = 10) -> list[NovelDTO]:
    """Return the ``limit`` most recently published novels, without relations. 1 query."""
    return fetch_all(plans.NOVEL_BARE, Novel.objects.order_by("-published", "id")[:limit])
