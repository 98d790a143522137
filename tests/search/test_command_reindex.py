"""``justicework search_reindex``: rebuilds every registered model or the ones named, says how
many rows each got, refuses a name that is not a model (or not indexed) by name, and can queue
the rebuild for the worker."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from justicework import search
from justicework.core.models import Organisation
from justicework.search.api import filter_queryset
from justicework.tasks.models import Progress
from tests.conftest import make_org

pytestmark = pytest.mark.django_db


def reindex(*args: str) -> str:
    out = io.StringIO()
    call_command("search_reindex", *args, stdout=out)
    return out.getvalue()


def found(text: str) -> list[str]:
    return sorted(filter_queryset(Organisation.objects.all(), text).values_list("name", flat=True))


def test_every_registered_model_is_rebuilt_and_counted():
    make_org("Harbour Watch")
    out = reindex()
    for model in search.registered_models():
        assert f"{model._meta.label_lower}: " in out
    assert "core.organisation: 1 indexed" in out


def test_a_named_model_is_rebuilt_alone():
    make_org("Harbour Watch")
    assert reindex("core.organisation").strip() == "core.organisation: 1 indexed"


def test_a_rebuild_restores_an_index_that_was_emptied():
    make_org("Harbour Watch")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document")
    assert found("harbour") == []
    reindex("core.organisation")
    assert found("harbour") == ["Harbour Watch"]


@pytest.mark.parametrize("label", ["nothing", "core.nothing", "a.b.c"])
def test_a_name_that_is_not_a_model_is_refused_by_name(label):
    with pytest.raises(CommandError, match=f"'{label}' is not a model"):
        reindex(label)


def test_a_model_that_is_not_indexed_is_refused_naming_those_that_are():
    with pytest.raises(CommandError) as refused:
        reindex("core.membership")
    message = str(refused.value)
    assert message.startswith("'core.membership' is not indexed for search (indexed: ")
    assert "core.organisation" in message


def test_nothing_is_rebuilt_when_one_of_the_names_is_wrong():
    make_org("Harbour Watch")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document")
    for wrong in ("core.nothing", "core.membership"):
        with pytest.raises(CommandError):
            reindex("core.organisation", wrong)
        assert found("harbour") == []


def test_in_the_background_the_rebuild_is_queued_with_a_progress_page():
    out = reindex("--background")
    progress = Progress.objects.get(kind="search.reindex")
    assert out.strip() == f"Queued: progress at /tasks/{progress.pk}/"
    assert progress.owner is None
