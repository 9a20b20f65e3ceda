"""Every route of the URLconf (pages, export, API), as URLs a test can request.

The URLconf is walked, not listed by hand, so a route added later is in every test that
iterates ``all_routes()``; a path parameter with no known value fails loudly (add it to
``PATH_VALUES``' caller) instead of leaving the route out.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
NO_VALUE = "Route {route!r} has the path parameter {name!r} with no value in the test's map."


@dataclass(frozen=True)
class Route:
    """One URL pattern, e.g. ``books/<int:book_id>/``; ``parameters`` names its segments."""

    pattern: str
    parameters: tuple[str, ...]

    def url(self, values: Mapping[str, str]) -> str:
        """Return the URL with each parameter replaced by ``values[name]`` (already encoded)."""

        def fill(match: re.Match[str]) -> str:
            name = match.group("name")
            if name not in values:
                raise KeyError(NO_VALUE.format(route=self.pattern, name=name))
            return values[name]

        return "/" + PARAMETER.sub(fill, self.pattern)

    @property
    def is_api(self) -> bool:
        """True for the JSON API's routes."""
        return self.pattern.startswith("api/")


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def all_routes() -> list[Route]:
    """Return every distinct URL pattern of the project's URLconf, in URLconf order."""
    seen: dict[str, Route] = {}
    for pattern in _walk(get_resolver().url_patterns, ""):
        names = tuple(match.group("name") for match in PARAMETER.finditer(pattern))
        seen.setdefault(pattern, Route(pattern=pattern, parameters=names))
    return list(seen.values())
