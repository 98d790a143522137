"""The sealed session store's lookups go by the hashed key, in sync and async code alike: a
session is found by its cookie key only, an expired one is not loaded, deletion removes it; the
async methods seal and open in a thread, since the data key may have to be read from the
database."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.models import Session
from django.utils import timezone

from justicework.encryption.keyring import keyring
from justicework.encryption.sessions import SessionStore, stored_key

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.save()
    return store


def test_a_session_exists_by_its_cookie_key_and_not_by_its_stored_key() -> None:
    store = _saved(who="ann")
    assert store.session_key is not None
    assert SessionStore().exists(store.session_key)
    assert not SessionStore().exists(stored_key(store.session_key))


def test_an_expired_session_loads_empty_and_forgets_its_key() -> None:
    store = _saved(who="ann")
    key = store.session_key
    Session.objects.filter(session_key=stored_key(key)).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    again = SessionStore(session_key=key)
    assert again.load() == {}
    assert again.session_key is None


def test_deleting_by_the_cookie_key_removes_the_row() -> None:
    store = _saved(who="ann")
    key = store.session_key
    SessionStore().delete(key)
    assert not Session.objects.filter(session_key=stored_key(key)).exists()
    store = _saved(who="bo")
    store.delete()
    assert not Session.objects.exists()


def test_async_save_load_exists_and_delete_go_by_the_hashed_key() -> None:
    keyring.clear()  # as in a fresh process: the data key must be read from the database

    async def scenario() -> tuple[bool, dict[str, object], bool, bool]:
        store = SessionStore()
        store["who"] = "ann"
        await store.asave()
        key = store.session_key
        assert key is not None
        found = await SessionStore().aexists(key)
        loaded = await SessionStore(session_key=key).aload()
        await SessionStore().adelete(key)
        gone = not await SessionStore().aexists(key)
        raw_key_used = await Session.objects.filter(session_key=key).aexists()
        return found, loaded, gone, raw_key_used

    found, loaded, gone, raw_key_used = async_to_sync(scenario)()
    assert found
    assert loaded == {"who": "ann"}
    assert gone
    assert not raw_key_used


def test_an_async_load_opens_a_session_whose_key_is_not_cached_yet() -> None:
    store = _saved(who="ann")
    keyring.clear()  # as in a fresh process: the data key must be read from the database

    async def scenario() -> dict[str, object]:
        return await SessionStore(session_key=store.session_key).aload()

    assert async_to_sync(scenario)() == {"who": "ann"}


def test_an_async_load_of_an_unknown_key_is_empty_and_forgets_the_key() -> None:
    async def scenario() -> tuple[dict[str, object], str | None]:
        store = SessionStore(session_key="x" * 32)
        return await store.aload(), store.session_key

    assert async_to_sync(scenario)() == ({}, None)
