"""The site around the pages: accounts, icon, error pages, static files, API docs, toolbar."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from fetchplan.observe.pytest_plugin import AssertConstantQueries

from bookstore.presentation import NO_SUCH_PAGE
from bookstore.views_site import FAVICON, LOGGED_OUT, SERVER_ERROR, server_error
from tests.bookstore.data import LARGE, SMALL, Picked, seed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def reader() -> User:
    return User.objects.create_user(username="ada", password=PASSWORD)


# -- logging in and out ------------------------------------------------------------------------


def test_login_without_next_lands_on_the_home_page(client: Client) -> None:
    reader()
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(response["Location"]).status_code == 200


def test_login_goes_back_to_next(client: Client) -> None:
    reader()
    data = {"username": "ada", "password": PASSWORD, "next": "/books/?tag=poetry"}
    response = client.post("/accounts/login/", data)
    assert response["Location"] == "/books/?tag=poetry"


def test_login_page_is_styled_like_the_site_and_reports_bad_passwords(client: Client) -> None:
    body = client.get("/accounts/login/?next=/books/1/reviews/new").text
    assert '<header class="site">' in body
    assert 'name="next" value="/books/1/reviews/new"' in body
    assert ">Log in</a>" not in body  # no "log in" link on the login page itself
    reader()
    refused = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert refused.status_code == 200
    assert "Please enter a correct username and password" in refused.text


def test_a_logged_in_reader_skips_the_login_page(client: Client) -> None:
    client.force_login(reader())
    assert client.get("/accounts/login/")["Location"] == "/"


def test_logout_is_a_post_that_says_so(client: Client) -> None:
    client.force_login(reader())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert LOGGED_OUT in response.text
    assert "_auth_user_id" not in client.session


def test_the_header_offers_login_or_logout(client: Client) -> None:
    anonymous = client.get("/books/").text
    assert '<a href="/accounts/login/?next=/books/">Log in</a>' in anonymous
    client.force_login(reader())
    logged_in = client.get("/books/").text
    assert '<form class="inline" method="post" action="/accounts/logout/">' in logged_in
    assert ">ada</span>" in logged_in


def test_the_login_page_names_the_demo_reader_only_in_debug(client: Client) -> None:
    assert "make demo" not in client.get("/accounts/login/").text
    with override_settings(DEBUG=True):
        assert "log in as <code>reader</code>" in client.get("/accounts/login/").text


def test_demo_reader_refuses_without_debug_and_works_with_it(client: Client) -> None:
    with pytest.raises(CommandError, match="only with DEBUG"):
        call_command("demo_reader", verbosity=0)
    with override_settings(DEBUG=True):
        call_command("demo_reader", verbosity=0)
        call_command("demo_reader", verbosity=0)  # again: resets, does not fail
    assert client.login(username="reader", password="reader")


@pytest.mark.parametrize(
    ("url", "anonymous"),
    [
        (lambda p: "/books/", 5),
        (lambda p: f"/books/{p.book_id}/", 5),
        (lambda p: f"/authors/{p.author_id}/", 3),
    ],
    ids=["books", "book", "author"],
)
def test_pages_for_a_logged_in_reader_cost_the_session_and_user_reads(
    client: Client,
    assert_constant_queries: AssertConstantQueries,
    url: object,
    anonymous: int,
) -> None:
    picked = Picked()
    client.force_login(reader())

    def get() -> None:
        assert callable(url)
        response = client.get(url(picked))
        assert response.status_code == 200
        assert ">ada</span>" in response.text

    counted = assert_constant_queries(get, small=picked.seeder(SMALL), large=picked.seeder(LARGE))
    assert counted == anonymous + 2  # the session row, the user row: read before rendering


# -- icon, error pages, static files -----------------------------------------------------------


def test_favicon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == FAVICON
    assert 'rel="icon" href="/static/bookstore/favicon.svg"' in client.get("/").text


def test_an_unknown_url_gets_the_site_404_page(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert '<header class="site">' in response.text
    assert NO_SUCH_PAGE.format(path="/no/such/page/") in response.text
    assert "Resolver404" not in response.text


def test_the_500_page_renders_without_the_request(rf: RequestFactory) -> None:
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert SERVER_ERROR in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/static/bookstore/site.css", "/static/ninja/swagger-ui-bundle.js"],
)
def test_static_files_are_served_without_debug(client: Client, path: str) -> None:
    # The test client has no static handler: a 200 here comes from WhiteNoise.
    response = client.get(path)
    assert response.status_code == 200
    response.close()


def test_api_docs_load_swagger_ui_from_the_site_only(client: Client) -> None:
    body = client.get("/api/docs").text
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in body
    assert '"validatorUrl": null' in body
    assert "cdn" not in body.lower()
    assert "http://" not in body
    assert "https://" not in body


def test_debug_toolbar_starts_collapsed() -> None:
    # The toolbar never runs under pytest (settings.TESTING); a child process without pytest
    # renders a page with DEBUG on, as `make demo` does.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client().get('/accounts/login/').content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookstore.settings",
        "DEBUG": "1",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    page = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    assert 'id="djDebug"' in page
    assert 'data-default-show="false"' in page


def test_seeded_pages_have_no_python_reprs(client: Client) -> None:
    seed(30)
    for url in ["/books/999999/", "/api/books/999999", "/tags/nope/", "/authors/0/"]:
        body = client.get(url).content.decode()
        assert "{'" not in body, url
        assert "matching" not in body, url
