"""Routes of the writes: the review form, the login page, and (for now) the write API.

TEMPORARY: ``writes_api`` mounts the write router at ``/api/`` on this branch only, because
the site's ``NinjaAPI`` (``bookstore/api.py``) lives on another branch. At merge, mount
``bookstore.api_writes.router`` into that ``api`` (``api.add_router("/", router)``) and delete
``writes_api`` and its ``path("api/", ...)`` below.
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI

from bookstore.api_writes import router
from bookstore.views_reviews import review_new

writes_api = NinjaAPI(urls_namespace="writes", title="Bookstore API (writes)", version="1")
writes_api.add_router("/", router)

urlpatterns: list[URLPattern | URLResolver] = [
    path("books/<int:book_id>/reviews/new", review_new, name="review-new"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("api/", writes_api.urls),
]
