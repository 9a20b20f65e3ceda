"""Adding reviews: the repository, and the HTML form with its CSRF protection."""

import pytest
from django.test import Client
from fetchplan import NotFound
from pydantic import ValidationError

from bookstore.models import Review
from bookstore.views_reviews import REVIEW_ADDED
from dtos.writes import ReviewInput
from repos.reviews import add_review
from tests.writes.factories import make_book, make_user, snapshot

pytestmark = pytest.mark.django_db


class TestAddReview:
    def test_stores_and_returns_the_review(self) -> None:
        book = make_book()
        stored = add_review(book_id=book.pk, review=ReviewInput(rating=4, body="Good."))
        assert (stored.book_id, stored.rating, stored.body) == (book.pk, 4, "Good.")
        assert Review.objects.get(pk=stored.id).rating == 4

    @pytest.mark.parametrize("rating", [0, 6, -1, 2**40])
    def test_rating_is_1_to_5(self, rating: int) -> None:
        with pytest.raises(ValidationError):
            ReviewInput(rating=rating)

    def test_unknown_book_is_not_found_and_writes_nothing(self) -> None:
        before = snapshot()
        with pytest.raises(NotFound):
            add_review(book_id=123_456, review=ReviewInput(rating=3))
        assert snapshot() == before


def form_url(book_id: int) -> str:
    return f"/books/{book_id}/reviews/new"


class TestReviewForm:
    def test_anonymous_is_sent_to_login(self) -> None:
        book = make_book()
        response = Client().get(form_url(book.pk))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_get_shows_the_form_with_a_csrf_token(self) -> None:
        book = make_book(title="Emma")
        client = Client()
        client.force_login(make_user())
        response = client.get(form_url(book.pk))
        assert response.status_code == 200
        assert "Emma" in response.text
        assert 'name="csrfmiddlewaretoken"' in response.text

    def test_post_with_token_saves_and_redirects(self) -> None:
        book = make_book()
        client = Client(enforce_csrf_checks=True)
        client.force_login(make_user())
        token = client.get(form_url(book.pk)).context["csrf_token"]
        response = client.post(
            form_url(book.pk), {"rating": "5", "body": "Wonderful", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert response["Location"] == f"/books/{book.pk}/"
        assert list(Review.objects.values_list("book_id", "rating", "body")) == [
            (book.pk, 5, "Wonderful")
        ]
        page = client.get(f"/books/{book.pk}/").text
        assert REVIEW_ADDED in page
        assert "Wonderful" in page

    def test_post_without_token_is_403_and_writes_nothing(self) -> None:
        book = make_book()
        client = Client(enforce_csrf_checks=True)
        client.force_login(make_user())
        before = snapshot()
        response = client.post(form_url(book.pk), {"rating": "5", "body": "x"})
        assert response.status_code == 403
        assert snapshot() == before

    @pytest.mark.parametrize(
        "data", [{"rating": "6"}, {"rating": "x"}, {"rating": "3", "body": "a\x00b"}]
    )
    def test_invalid_post_shows_errors_and_writes_nothing(self, data: dict[str, str]) -> None:
        book = make_book()
        client = Client()
        client.force_login(make_user())
        before = snapshot()
        response = client.post(form_url(book.pk), data)
        assert response.status_code == 400
        assert snapshot() == before

    def test_unknown_book_is_404(self) -> None:
        client = Client()
        client.force_login(make_user())
        assert client.get(form_url(987_654)).status_code == 404
