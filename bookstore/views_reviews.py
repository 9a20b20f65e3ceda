"""The HTML review form: ``/books/<id>/reviews/new`` (login required, CSRF-protected)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from fetchplan import NotFound
from pydantic import ValidationError

from bookstore import views_params as params
from bookstore.forms import ReviewForm
from bookstore.presentation import not_found_message
from dtos.writes import ReviewInput
from repos.reviews import add_review, get_review_target
from repos.write_errors import WriteError

REVIEW_ADDED = "Thank you: your review is saved."


@login_required
@params.handles_bad_input
def review_new(request: HttpRequest, book_id: int) -> HttpResponse:
    """Show the review form for a book (GET); save a review and go to the book's page (POST).

    The redirect (POST/redirect/GET) keeps a reload from posting the review twice; the book's
    page shows the new review among the latest, under a thank-you message.
    """
    try:
        book = get_review_target(book_id=book_id)
    except NotFound as error:
        raise Http404(not_found_message(error)) from error
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = ReviewInput.model_validate(form.cleaned_data)
            add_review(book_id=book.id, review=review)
        except ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else None
                form.add_error(field if field in form.fields else None, problem["msg"])
        except (NotFound, WriteError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, REVIEW_ADDED)
            return HttpResponseRedirect(reverse("book-detail", kwargs={"book_id": book.id}))
    status = 400 if form.is_bound else 200
    return render(
        request, "bookstore/review_form.html", {"book": book, "form": form}, status=status
    )
