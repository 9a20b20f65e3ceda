"""Routes of the HTML writes: the review form and the login page it redirects to.

The JSON write endpoints are a router mounted into the site's API (``bookstore/api.py``).
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from bookstore.views_reviews import review_new

urlpatterns: list[URLPattern | URLResolver] = [
    path("books/<int:book_id>/reviews/new", review_new, name="review-new"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
]
