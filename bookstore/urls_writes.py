"""Routes of the HTML writes and accounts: the review form, logging in and out.

The JSON write endpoints are a router mounted into the site's API (``bookstore/api.py``).
"""

from django.urls import URLPattern, URLResolver, path

from bookstore.views_reviews import review_new
from bookstore.views_site import LoginView, LogoutView

urlpatterns: list[URLPattern | URLResolver] = [
    path("books/<int:book_id>/reviews/new", review_new, name="review-new"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
]
