"""The call pages: allow and deny for the officer, another organisation, reviewer, viewer,
an applicant and anonymous; the editor's forms write through the actions; the public page
shows the text in the reader's language, both time zones, the changes and the answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.grants import actions_call_items as items
from justicework.grants import actions_calls as actions
from justicework.grants.models import Call, CallAnswer, CallChange, Criterion, Programme


def _client(user: Any) -> Client:
    """Signed in; roles that need a second factor get one, so its set-up page does not hide
    the page under test."""
    if user.requires_mfa:
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client


def _staff_urls(call: Call) -> list[str]:
    return [
        reverse("grants:call_edit", args=[call.pk]),
        reverse("grants:call_items", args=[call.pk]),
        reverse("grants:call_answers", args=[call.pk]),
        reverse("grants:programme_edit", args=[call.programme_id]),
        reverse("grants:call_create", args=[call.programme_id]),
    ]


def test_officer_opens_every_staff_page(cast, draft_call) -> None:
    client = _client(cast.officer)
    for url in [
        *_staff_urls(draft_call),
        reverse("grants:call_manage"),
        reverse("grants:programme_create"),
        reverse("grants:call_detail", args=[draft_call.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_others_get_404_on_staff_pages(cast, open_call, applicant) -> None:
    for user in (
        cast.reviewer,
        cast.viewer,
        cast.admin,
        cast.outsider,
        cast.beacon_admin,
        applicant.user,
    ):
        client = _client(user)
        for url in _staff_urls(open_call):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get(reverse("grants:call_manage")).status_code == 403
        assert client.get(reverse("grants:programme_create")).status_code == 403
        response = client.post(
            reverse("grants:call_status", args=[open_call.pk]), {"status": "closed", "note": "x"}
        )
        assert response.status_code == 404
    open_call.refresh_from_db()
    assert open_call.status == Call.Status.PUBLISHED


def test_anonymous_is_sent_to_sign_in(db, open_call) -> None:
    client = Client()
    for url in [*_staff_urls(open_call), reverse("grants:call_detail", args=[open_call.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    welcome = client.get(reverse("grants:call_list"))
    assert welcome.status_code == 200
    assert reverse("grants:register") in welcome.content.decode()
    assert open_call.reference not in welcome.content.decode()


def test_drafts_are_404_for_everyone_but_staff(cast, draft_call, applicant) -> None:
    for user in (cast.reviewer, cast.viewer, cast.outsider, applicant.user):
        assert (
            _client(user).get(reverse("grants:call_detail", args=[draft_call.pk])).status_code
            == 404
        )
        assert (
            draft_call.reference
            not in _client(user).get(reverse("grants:call_list")).content.decode()
        )


def test_officer_creates_a_programme_and_a_call_through_the_forms(cast) -> None:
    client = _client(cast.officer)
    response = client.post(
        reverse("grants:programme_create"),
        {
            "name": "Localisation fund",
            "currency": "eur",
            "cap_per_recipient": "60000",
            "retention_years": "5",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    data = {
        "title_en": "Documentation grants",
        "title_ar": "منح التوثيق",
        "text_en": "Text.",
        "countries": ["UA", "GE"],
        "recipient_categories": ["women_led"],
        "legal_forms": ["ngo"],
        "currency": "EUR",
        "budget": "100000",
        "amount_min": "1000",
        "amount_max": "20000",
        "amount_method": "lump_sum",
        "cap_per_recipient": "60000",
        "time_zone": "Europe/Kyiv",
        "opens_at": "2031-03-01T09:00",
        "closes_at": "2031-04-01T17:00",
        "reviews_per_application": "2",
        "one_proposal_per_applicant": "on",
        "activity_code": ["documentation", ""],
        "activity_title_en": ["Documentation", ""],
        "activity_title_ar": ["توثيق", ""],
    }
    response = client.post(reverse("grants:call_create", args=[programme.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    call = Call.objects.get()
    assert call.title == {"en": "Documentation grants", "ar": "منح التوثيق"}
    assert call.activity_types == [
        {"code": "documentation", "title": {"en": "Documentation", "ar": "توثيق"}}
    ]
    assert call.opens_at.isoformat() == "2031-03-01T07:00:00+00:00"


def test_the_call_form_names_the_bad_field(cast, draft_call) -> None:
    client = _client(cast.officer)
    url = reverse("grants:call_edit", args=[draft_call.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {f"title_{k}": v for k, v in draft_call.title.items()}
    data |= {
        "opens_at": "2031-03-01T09:00",
        "closes_at": "2031-02-01T09:00",
        "countries": ["UA"],
        "activity_code": ["a", "a"],
        "activity_title_en": ["A", "B"],
    }
    response = client.post(url, data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "closes_at" in errors
    data["closes_at"] = "2031-04-01T09:00"
    response = client.post(url, data)
    assert "activity_types" in str(response.context["form"].non_field_errors())
    draft_call.refresh_from_db()
    assert draft_call.closes_at.year != 2031


def test_rows_are_added_changed_moved_and_removed(cast, draft_call) -> None:
    client = _client(cast.officer)
    url = reverse("grants:call_items", args=[draft_call.pk])
    response = client.post(
        url,
        {
            "kind": "criterion",
            "row": "new",
            "criterion-new-code": "rural",
            "criterion-new-title_en": "Rural reach",
            "criterion-new-kind": "scored",
            "criterion-new-weight": "0",
            "criterion-new-min_score": "0",
            "criterion-new-max_score": "5",
        },
    )
    assert response.status_code == 422
    assert "weight" in response.context["criteria"][-1].errors
    response = client.post(
        url,
        {
            "kind": "criterion",
            "row": "new",
            "criterion-new-code": "rural",
            "criterion-new-title_en": "Rural reach",
            "criterion-new-kind": "scored",
            "criterion-new-weight": "2",
            "criterion-new-min_score": "0",
            "criterion-new-max_score": "5",
            "criterion-new-priority": "remote_rural",
        },
    )
    assert response.status_code == 302
    rural = Criterion.objects.get(code="rural")
    assert rural.weight == Decimal("2") and rural.priority == "remote_rural"
    client.post(url, {"kind": "criterion", "row": rural.pk, "op": "up"})
    assert list(draft_call.criteria.values_list("code", flat=True))[-2] == "rural"
    client.post(url, {"kind": "criterion", "row": rural.pk, "op": "remove"})
    assert not Criterion.objects.filter(code="rural").exists()


def test_publish_and_close_buttons(cast, draft_call) -> None:
    client = _client(cast.officer)
    url = reverse("grants:call_status", args=[draft_call.pk])
    client.post(url, {"status": "published"})
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.PUBLISHED
    client.post(url, {"status": "closed"})  # no reason: refused with a message
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.PUBLISHED
    client.post(url, {"status": "closed", "note": "Budget used"})
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.CLOSED


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_public_page_in_the_readers_language(cast, open_call, applicant, language) -> None:
    actions.update_call(
        cast.officer,
        open_call,
        closes_at=open_call.closes_at + timedelta(days=3),
        note="Deadline moved after the holiday",
    )
    entry = items.ask_question(
        applicant.user, open_call, text="Asked by Maria from Kherson", language="en"
    )
    items.answer_question(
        cast.officer,
        entry,
        question={"en": "May networks apply?"},
        answer={"en": "Yes, as co-applicants."},
    )
    client = _client(cast.outsider)
    client.cookies["django_language"] = language
    page = client.get(reverse("grants:call_detail", args=[open_call.pk])).content.decode()
    title = "Soutien à la documentation" if language == "fr" else "Support to local documentation"
    assert title in page
    assert "Europe/Kyiv" in page and "data-datetime" in page
    assert "Deadline moved after the holiday" in page
    assert "May networks apply?" in page and "Yes, as co-applicants." in page
    assert "Maria" not in page
    assert "60000" in page  # the maximum per third party
    assert CallChange.objects.count() == 1


def test_signed_in_reader_asks_a_question(cast, open_call) -> None:
    client = _client(cast.reviewer)
    url = reverse("grants:call_ask", args=[open_call.pk])
    assert client.post(url, {"question": ""}).status_code == 422
    assert client.post(url, {"question": "Is travel eligible?"}).status_code == 302
    assert CallAnswer.objects.get().question == {"en": "Is travel eligible?"}
    assert Client().post(url, {"question": "x"}).status_code == 302  # to sign in
    assert CallAnswer.objects.count() == 1


def test_officer_answers_and_others_cannot(cast, open_call, applicant) -> None:
    entry = items.ask_question(applicant.user, open_call, text="Travel?", language="en")
    url = reverse("grants:call_answers", args=[open_call.pk])
    data = {
        "entry": entry.pk,
        f"a{entry.pk}-question_en": "Travel?",
        f"a{entry.pk}-answer_en": "Yes.",
        f"a{entry.pk}-publish": "on",
    }
    assert _client(applicant.user).post(url, data).status_code == 404
    assert _client(cast.beacon_admin).post(url, data).status_code == 404
    assert _client(cast.officer).post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.answer == {"en": "Yes."} and entry.published_at is not None


def test_open_calls_list_and_dashboard_card(
    cast, open_call, draft_call, applicant, django_assert_max_num_queries
) -> None:
    client = _client(applicant.user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("grants:call_list")).content.decode()
    assert open_call.reference in page and draft_call.reference not in page
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "Open calls" in dashboard and reverse("grants:call_list") in dashboard
    staff = _client(cast.officer).get(reverse("web:dashboard")).content.decode()
    assert reverse("grants:call_manage") in staff and "Calls for proposals" in staff
    assert (
        "Calls for proposals"
        not in _client(cast.viewer).get(reverse("web:dashboard")).content.decode()
    )


def test_a_call_past_its_closing_time_reads_closed(cast, open_call) -> None:
    Call.objects.filter(pk=open_call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = _client(cast.viewer).get(reverse("grants:call_detail", args=[open_call.pk]))
    assert page.context["status_label"] == "closed" and not page.context["can_ask"]
    url = reverse("grants:call_ask", args=[open_call.pk])
    assert _client(cast.viewer).post(url, {"question": "Late?"}).status_code == 403
    assert not CallAnswer.objects.exists()
