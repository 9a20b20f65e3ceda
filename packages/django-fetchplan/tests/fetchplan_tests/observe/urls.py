"""Views for the middleware tests: one runs an N+1 loop, one is async."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from fetchplan_tests.compat import lazy
from fetchplan_tests.testapp.models import Novel, Writer


def writers_of_novels(request: HttpRequest) -> HttpResponse:
    """List each novel's writer the slow way: one query per novel."""
    names = [novel.writer.name for novel in lazy(Novel.objects.all())]
    return HttpResponse(", ".join(names))


async def count_writers(request: HttpRequest) -> HttpResponse:
    """Count writers from async code."""
    return HttpResponse(str(await Writer.objects.acount()))


urlpatterns = [
    path("writers-of-novels/", writers_of_novels),
    path("async-count/", count_writers),
]
