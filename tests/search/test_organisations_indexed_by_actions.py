"""Organisations are indexed by the actions that write them, not only by a reindex."""

from justicework import search
from justicework.core import actions, policy
from justicework.core.models import Organisation


def test_new_organisation_is_found_without_a_reindex(cast):
    org = actions.create_organisation(
        None, name="Kestrel Documentation Lab", kind=Organisation.Kind.ASSOCIATE, countries=["CO"]
    )
    result = search.filter_queryset(policy.visible(cast.superuser, Organisation, "view"), "kestrel")
    assert [o.pk for o in result] == [org.pk]


def test_renamed_organisation_is_found_by_its_new_name(cast):
    actions.update_organisation(cast.admin, cast.acme, name="Heron Rights Watch")
    assert [
        o.pk
        for o in list(
            search.filter_queryset(policy.visible(cast.admin, Organisation, "view"), "heron")
        )
    ] == [cast.acme.pk]
    actions.update_organisation(cast.admin, cast.acme, name="Osprey Rights Watch")
    assert (
        search.filter_queryset(policy.visible(cast.admin, Organisation, "view"), "heron").count()
        == 0
    )
    assert (
        search.filter_queryset(policy.visible(cast.admin, Organisation, "view"), "osprey").count()
        == 1
    )
