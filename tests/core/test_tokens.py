"""Personal API tokens (``core.tokens`` and the ``create_token``/``revoke_token`` actions): the
secret's shape, what is stored, what a look-up refuses (unknown, revoked, expired, a
deactivated owner, the wrong shape), ``last_used_at`` written at most once a minute, and bad
input refused naming the field with nothing created."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core import actions, tokens
from justicework.core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_secret_is_long_random_and_marked():
    first, second = tokens.generate_secret(), tokens.generate_secret()
    assert first.startswith("jw_") and len(first) == 3 + 43
    assert first != second


def test_only_the_hash_and_a_short_prefix_are_stored(cast):
    token, secret = actions.create_token(
        cast.viewer, name="laptop", scope="read", expires_in_days=30
    )
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:11] and secret not in {stored.prefix, stored.secret_hash}
    assert stored.expires_at - stored.created_at == pytest.approx(
        dt.timedelta(days=30), abs=dt.timedelta(seconds=5)
    )


def test_creating_a_token_is_audited_without_the_secret(cast):
    token, secret = actions.create_token(cast.viewer, name="ci", scope="write", expires_in_days=1)
    entry = AuditEntry.objects.get(action="core.apitoken.created", object_id=str(token.pk))
    assert entry.actor_id == cast.viewer.pk
    assert entry.diff["prefix"] == token.prefix and entry.diff["scope"] == "write"
    assert secret not in str(entry.diff)


@pytest.mark.parametrize(
    ("name", "scope", "days", "field"),
    [
        ("   ", "read", 30, "name"),
        ("x" * 101, "read", 30, "name"),
        ("laptop", "admin", 30, "scope"),
        ("laptop", "read", 0, "expires_in_days"),
        ("laptop", "read", 10_000, "expires_in_days"),
        ("laptop", "read", "30", "expires_in_days"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(cast, name, scope, days, field):
    with pytest.raises(ValidationError) as caught:
        actions.create_token(cast.viewer, name=name, scope=scope, expires_in_days=days)
    assert list(caught.value.message_dict) == [field]
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="core.apitoken.created").exists()


def test_an_inactive_user_cannot_create_a_token(cast):
    cast.viewer.is_active = False
    with pytest.raises(PermissionDenied):
        actions.create_token(cast.viewer, name="x", scope="read", expires_in_days=1)
    assert not ApiToken.objects.exists()


def test_a_token_is_found_by_its_secret(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    found = tokens.find_active_token(secret)
    assert found == token and found.user == cast.viewer


@pytest.mark.parametrize(
    "secret",
    ["", "jw_unknown", "xx_" + "a" * 43, "jw_" + "a" * 300],
)
def test_a_secret_of_the_wrong_shape_or_unknown_finds_nothing(
    cast, secret, django_assert_num_queries
):
    queries = 1 if secret == "jw_unknown" else 0
    with django_assert_num_queries(queries):
        assert tokens.find_active_token(secret) is None


def test_a_revoked_token_finds_nothing_and_revoking_again_changes_nothing(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    actions.revoke_token(cast.viewer, token)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    assert revoked_at is not None
    assert tokens.find_active_token(secret) is None
    actions.revoke_token(cast.viewer, token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="core.apitoken.revoked").count() == 1


def test_someone_else_cannot_revoke_a_token(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    with pytest.raises(PermissionDenied, match="not your token"):
        actions.revoke_token(cast.admin, token)
    assert tokens.find_active_token(secret) == token


def test_an_expired_token_finds_nothing(cast):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert tokens.find_active_token(secret) is None


def test_the_token_of_a_deactivated_user_finds_nothing(cast):
    _token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    type(cast.viewer).objects.filter(pk=cast.viewer.pk).update(is_active=False)
    assert tokens.find_active_token(secret) is None


def test_last_used_is_written_at_most_once_a_minute(cast, django_assert_num_queries):
    token, secret = actions.create_token(cast.viewer, name="t", scope="read", expires_in_days=5)
    with django_assert_num_queries(2):  # look-up, then the first touch
        first = tokens.find_active_token(secret)
    assert first is not None and first.last_used_at is not None
    with django_assert_num_queries(1):
        tokens.find_active_token(secret)
    earlier = timezone.now() - dt.timedelta(seconds=tokens.LAST_USED_RESOLUTION + 1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    with django_assert_num_queries(2):
        again = tokens.find_active_token(secret)
    assert again is not None and again.last_used_at > earlier
