"""The book table's rows and the book list's menus, built in Python for speed, write exactly
what the template loops they replace wrote (the loops are kept here as the reference)."""

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from bookstore.presentation import menu_options
from bookstore.templatetags.book_table import book_rows
from dtos.books import BookRow

# The loop of _book_table.html before {% book_rows %}, verbatim.
ROWS_LOOP = Template(
    """{% for book in page.items %}
    <tr>
      <td class="title"><a href="/books/{{ book.id }}/">{{ book.title }}</a></td>
      <td data-label="Author"><a href="/authors/{{ book.author_id }}/">{{ book.author_name }}</a></td>
      <td data-label="Publisher">{{ book.publisher_name|default:"—" }}</td>
      <td data-label="Tags">{% for tag in book.tags %}<a class="tag" href="/tags/{{ tag|urlencode }}/">{{ tag }}</a>{% endfor %}</td>
      <td data-label="Published" class="date">{{ book.published|date:"Y-m-d" }}</td>
      <td data-label="Price" class="num">{{ book.price }}</td>
      <td data-label="Rating" class="num">{% if book.average_rating is not None %}{{ book.average_rating|floatformat:1 }} <span class="muted">({{ book.review_count }})</span>{% else %}<span class="muted">—</span>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501
)
# The tag menu's loop of book_list.html before menu_options, verbatim.
MENU_LOOP = Template(
    """{% for tag in tags %}<option value="{{ tag.0 }}"{% if tag.0 == selected %} selected{% endif %}>{{ tag.1 }}</option>{% endfor %}"""  # noqa: E501
)
# Markup, entities, quotes, URL-reserved characters, spaces and non-ASCII: what escaping and
# quoting must handle.
HOSTILE = st.text(alphabet=st.sampled_from("aZ9 <>&\"'/?#%+=;—é\u00a0"), max_size=12)

rows = st.builds(
    BookRow,
    id=st.integers(1, 10**9),
    title=HOSTILE,
    isbn=st.just("9780000000000"),
    price=st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2),
    published=st.dates(min_value=date(1, 1, 1)),
    author_id=st.integers(1, 10**9),
    author_name=HOSTILE,
    publisher_name=st.none() | HOSTILE,
    tags=st.lists(HOSTILE, max_size=3).map(tuple),
    review_count=st.integers(0, 10**6),
    average_rating=st.none()
    | st.floats(min_value=0, max_value=5)
    | st.sampled_from([0.05, 0.25, 2.25, 2.35, 4.95, 4.999]),
)


@given(st.lists(rows, max_size=4))
def test_book_rows_write_what_the_template_loop_wrote(items: list[BookRow]) -> None:
    expected = ROWS_LOOP.render(Context({"page": {"items": items}}))
    assert book_rows(items) == expected


def test_book_rows_of_a_hostile_row_escape_and_quote() -> None:
    row = BookRow(
        id=1, title="<b>&", isbn="x", price=Decimal("1.50"), published=date(999, 1, 2),
        author_id=2, author_name="O'Neil", publisher_name="", tags=("a b/c&d",),
        review_count=3, average_rating=2.25,
    )  # fmt: skip
    html = str(book_rows([row]))
    assert "&lt;b&gt;&amp;" in html
    assert "O&#x27;Neil" in html
    assert '<td data-label="Publisher">—</td>' in html
    assert 'href="/tags/a%20b/c%26d/">a b/c&amp;d</a>' in html
    assert ">0999-01-02<" in html
    assert ">2.3 <span" in html  # floatformat rounds half up, as the template did
    assert html == ROWS_LOOP.render(Context({"page": {"items": [row]}}))


@given(
    st.lists(st.tuples(HOSTILE | st.integers(), HOSTILE), max_size=5),
    st.none() | HOSTILE | st.integers(),
)
def test_menu_options_write_what_the_template_loop_wrote(
    choices: list[tuple[str | int, str]], selected: str | int | None
) -> None:
    if choices and selected is None:
        selected = choices[0][0]  # one selected option in most examples
    expected = MENU_LOOP.render(Context({"tags": choices, "selected": selected}))
    assert menu_options(choices, selected=selected) == expected
