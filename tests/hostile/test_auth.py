"""API tokens: hashed at rest, created by a command, checked at a small constant cost, and
failed attempts throttled per client (issue 13, findings 3 and 6)."""

import hashlib
from collections.abc import Iterator

import pytest
from django.contrib.auth import hashers
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from fetchplan.observe import record_queries

from bookstore.api_auth import CREDENTIALS_REFUSED
from bookstore.management.commands.create_api_token import NO_SUCH_USER
from bookstore.models import ApiToken, Customer
from bookstore.throttle import TOO_MANY_REQUESTS
from repos.api_tokens import TOKEN_PREFIX, user_for_token
from tests.writes.factories import PASSWORD, basic_auth, make_book, make_buyer, make_user

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def create_token(username: str, *extra: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_api_token", username, *extra, stdout=out)
    return out.getvalue().strip()


def post_order(headers: dict[str, str], *, address: str = "127.0.0.1") -> int:
    response = Client(REMOTE_ADDR=address, enforce_csrf_checks=True).post(
        "/api/orders", "{}", content_type="application/json", headers=headers
    )
    return response.status_code


class TestTokens:
    def test_the_command_prints_a_token_stored_only_as_its_digest(self) -> None:
        user = make_user(username="ann")
        token = create_token("ann", "--name", "laptop")
        assert token.startswith(TOKEN_PREFIX)
        assert len(token) == len(TOKEN_PREFIX) + 43
        stored = ApiToken.objects.get(user=user)
        assert stored.name == "laptop"
        assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(ApiToken.objects.values_list())
        assert user_for_token(token) == user

    def test_the_command_refuses_an_unknown_user_unless_asked_to_create_it(self) -> None:
        with pytest.raises(CommandError, match="No user 'bob'"):
            create_token("bob")
        assert NO_SUCH_USER.format(username="bob").startswith("No user 'bob'")
        token = create_token("bob", "--create-user", "--with-customer")
        user = user_for_token(token)
        assert user is not None
        assert not user.has_usable_password()  # tokens only
        assert Customer.objects.filter(user_id=user.pk).count() == 1
        create_token("bob", "--with-customer")  # a second token, still one customer
        assert Customer.objects.filter(user_id=user.pk).count() == 1

    def test_a_token_places_an_order_for_its_users_customer(self) -> None:
        user, customer = make_buyer()
        book = make_book(stock=2)
        token = create_token(user.username)
        response = Client(enforce_csrf_checks=True).post(
            "/api/orders",
            {"lines": [{"book_id": book.pk, "quantity": 1}]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert (response.status_code, response.json()["customer_id"]) == (201, customer.pk)


BAD_CREDENTIALS = [
    basic_auth("nobody", "guess"),  # unknown user
    basic_auth("known", "wrong"),  # known user, wrong password
    basic_auth("known", PASSWORD),  # right password: Basic is not accepted
    {"Authorization": f"Bearer {TOKEN_PREFIX}{'A' * 43}"},  # well-formed, wrong
    {"Authorization": "Bearer " + "x" * 5000},  # junk
]


class TestConstantCost:
    """Finding 6: every Basic header cost a full PBKDF2 hash (0.5 s), even for unknown users."""

    @override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS, ids=range(len(BAD_CREDENTIALS)))
    def test_refused_credentials_run_no_password_hasher(
        self, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]
    ) -> None:
        make_user(username="known")
        hashed: list[str] = []
        original = hashers.PBKDF2PasswordHasher.encode

        def counted(
            self: hashers.PBKDF2PasswordHasher, password: str, salt: str, *args: int
        ) -> str:
            hashed.append(salt)  # checking a password and hashing a dummy one both encode
            return original(self, password, salt, *args)

        monkeypatch.setattr(hashers.PBKDF2PasswordHasher, "encode", counted)
        with record_queries() as recorder:
            assert post_order(headers) == 401
        assert hashed == []
        assert recorder.count <= 1  # at most the one indexed lookup of the token's digest

    def test_a_malformed_token_runs_no_query_and_a_well_formed_one_runs_one(self) -> None:
        with record_queries() as recorder:
            assert post_order({"Authorization": "Bearer nonsense"}) == 401
        assert recorder.count == 0
        with record_queries() as recorder:
            assert post_order({"Authorization": f"Bearer {TOKEN_PREFIX}{'B' * 43}"}) == 401
        assert recorder.count == 1


class TestThrottle:
    @pytest.fixture(autouse=True)
    def limit(self) -> Iterator[None]:
        with override_settings(BOOKSTORE_AUTH_FAILURES_PER_MINUTE=3):
            yield

    def test_failed_attempts_are_throttled_per_client(self) -> None:
        user, _ = make_buyer()
        good = {"Authorization": f"Bearer {create_token(user.username)}"}
        bad = {"Authorization": f"Bearer {TOKEN_PREFIX}{'C' * 43}"}
        assert [post_order(bad, address="10.1.1.1") for _ in range(4)] == [401, 401, 401, 429]
        refused = Client(REMOTE_ADDR="10.1.1.1").post(
            "/api/orders", "{}", content_type="application/json", headers=good
        )
        assert refused.status_code == 429  # blocked before the lookup, right token or not
        wait = refused["Retry-After"]
        assert 1 <= int(wait) <= 60
        detail = TOO_MANY_REQUESTS.format(what="failed authentications", seconds=wait)
        assert refused.json() == {"detail": detail}
        assert post_order(good, address="10.1.1.2") == 400  # another client: authenticated
        assert post_order(bad, address="10.1.1.2") == 401

    def test_a_throttled_attempt_runs_no_query(self) -> None:
        bad = {"Authorization": f"Bearer {TOKEN_PREFIX}{'D' * 43}"}
        for _ in range(3):
            post_order(bad, address="10.1.1.3")
        with record_queries() as recorder:
            assert post_order(bad, address="10.1.1.3") == 429
        assert recorder.count == 0

    def test_successes_and_anonymous_requests_do_not_count(self) -> None:
        user, _ = make_buyer()
        good = {"Authorization": f"Bearer {create_token(user.username)}"}
        for _ in range(5):
            assert post_order(good, address="10.1.1.4") == 400  # empty body: authenticated
            assert post_order({}, address="10.1.1.4") == 401
        response = Client(REMOTE_ADDR="10.1.1.4").post(
            "/api/orders", "{}", content_type="application/json", headers=good
        )
        assert response.status_code == 400
        assert CREDENTIALS_REFUSED not in response.content.decode()
