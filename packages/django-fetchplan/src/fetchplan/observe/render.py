"""Render a template inside a no-query zone: ``render_without_queries()``.

A template that reads ``book.author.name`` on a model instance queries invisibly, once per row.
Views that hand templates DTOs can prove the template cannot query by rendering in a zone. The
zone is on in DEBUG and under tests (setting ``FETCHPLAN_RENDER_WITHOUT_QUERIES`` overrides),
and off in production, where a slow page is better than a broken one.

Note: the ``auth`` and ``messages`` context processors give templates lazy objects that query the
session and user tables when the template reads them; resolve those in the view if needed.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fetchplan.observe import conf
from fetchplan.observe.zones import no_queries


def render_without_queries(
    request: HttpRequest,
    template_name: str | list[str] | tuple[str, ...],
    context: Mapping[str, Any] | None = None,
    *,
    content_type: str | None = None,
    status: int | None = None,
    using: str | None = None,
) -> HttpResponse:
    """Return ``django.shortcuts.render(...)``'s response, rendered inside a no-query zone.

    Raises ``QueriesForbidden`` when rendering queries (in DEBUG and tests).
    """
    if not conf.render_without_queries_enabled():
        return render(request, template_name, context, content_type, status, using)
    label = template_name if isinstance(template_name, str) else ", ".join(template_name)
    with no_queries(label=f"rendering {label}"):
        return render(request, template_name, context, content_type, status, using)
