"""HTML forms. They parse and check what a person typed; the input DTOs have the last word."""

from django import forms

from dtos.writes import MAX_REVIEW_BODY


class ReviewForm(forms.Form):
    """A review: 1..5 stars and an optional comment."""

    rating = forms.TypedChoiceField(
        choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
        coerce=int,
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_REVIEW_BODY,
        required=False,
        label="Comment",
    )
