"""The application pages: the applicant's list and editor (autosave fragment, save button,
budget fragments with totals, attachments with their errors, submit and withdraw after a
confirmation); the staff's read-only list; 404 for everyone else."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from justicework.grants import actions_applications as actions
from justicework.grants.models import Application
from tests.grants.applications.conftest import complete, pdf_bytes


def _url(name: str, pk: int) -> str:
    return reverse(f"grants:{name}", args=[pk])


def test_applicant_starts_from_a_call(open_call, applicant, login) -> None:
    client = login(applicant.user)
    url = reverse("grants:application_start", args=[open_call.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"entity": applicant.entity.pk, "title": "", "language": "en"})
    assert bad.status_code == 200 and "Give the application a title" in bad.content.decode()
    response = client.post(
        url, {"entity": applicant.entity.pk, "title": "Our plan", "language": "fr",
              "currency": "UAH"},
    )  # fmt: skip
    application = Application.objects.get()
    assert response["Location"] == _url("application_detail", application.pk)
    assert application.currency == "UAH" and application.language == "fr"
    listed = client.get(reverse("grants:my_applications")).content.decode()
    assert application.reference in listed


def test_others_cannot_start_for_a_call(open_call, cast, login) -> None:
    url = reverse("grants:application_start", args=[open_call.pk])
    for user in (cast.officer, cast.reviewer, cast.outsider):
        assert login(user).get(url).status_code == 404


def test_autosave_answers_with_a_fragment(draft, applicant, login) -> None:
    client = login(applicant.user)
    response = client.post(
        _url("application_autosave", draft.pk), {"q-summary": "We will document."},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"summary": "We will document."}
    bad = client.post(_url("application_autosave", draft.pk), {"q-staff": "several"})
    assert "staff (How many staff?): Give a number." in bad.content.decode()
    page = client.get(_url("application_detail", draft.pk)).content.decode()
    assert "We will document." in page


def test_save_button_without_javascript(draft, applicant, login) -> None:
    client = login(applicant.user)
    response = client.post(_url("application_save", draft.pk), {"q-staff": "3"})
    assert response.status_code == 302
    bad = client.post(_url("application_save", draft.pk), {"q-staff": "x"})
    assert bad.status_code == 400 and "Give a number." in bad.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"staff": "3"}


def test_budget_fragment_shows_both_totals(draft, applicant, login) -> None:
    client = login(applicant.user)
    hx = {"HX-Request": "true"}
    data = {"activity_type": "documentation", "cost_category": "staff", "amount": "1234.50"}
    response = client.post(_url("budget_line_add", draft.pk), data, headers=hx)
    page = response.content.decode()
    assert 'id="budget"' in page and "1234.50 EUR" in page
    bad = client.post(_url("budget_line_add", draft.pk), data | {"amount": "-3"}, headers=hx)
    assert "0 or more" in bad.content.decode()
    preview = client.get(_url("budget_preview", draft.pk), {"amount": "100"}).content.decode()
    assert "1334.50 EUR = 1334.50 EUR" in preview
    line = draft.budget_lines.get()
    client.post(_url("budget_line_remove", line.pk), headers=hx)
    assert not draft.budget_lines.exists()


def test_attachments_upload_with_errors(draft, applicant, login) -> None:
    client = login(applicant.user)
    text = SimpleUploadedFile("notes.pdf", b"just text", content_type="application/pdf")
    response = client.post(
        _url("attachment_add", draft.pk), {"kind": "other", "file": text}, follow=True
    )
    assert "cannot be attached" in response.content.decode()
    data = pdf_bytes()  # once: the PDF holds its creation time, so two calls may differ
    upload = SimpleUploadedFile("declaration.pdf", data)
    client.post(_url("attachment_add", draft.pk), {"kind": "declaration", "file": upload})
    attachment = draft.attachments.get()
    download = client.get(_url("attachment_download", attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data


def test_submit_and_withdraw_after_confirmation(draft, applicant, login) -> None:
    client = login(applicant.user)
    page = client.get(_url("application_submit", draft.pk)).content.decode()
    assert "Attach the declaration of honour" in page
    complete(draft, applicant.user)
    assert client.post(_url("application_submit", draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert client.post(_url("application_save", draft.pk), {"q-staff": "1"}).status_code == 403
    assert client.post(_url("application_withdraw", draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN


def test_staff_see_submitted_read_only_never_drafts(draft, applicant, cast, login) -> None:
    client = login(cast.officer)
    assert client.get(_url("application_detail", draft.pk)).status_code == 404
    listing = _url("call_applications", draft.call_id)
    assert draft.reference not in client.get(listing).content.decode()
    complete(draft, applicant.user)
    actions.submit_application(applicant.user, draft)
    assert draft.reference in client.get(listing).content.decode()
    page = client.get(_url("application_detail", draft.pk)).content.decode()
    assert "We document." in page and "readonly" in page
    for control in ("Save the co-applicants", "Add the line", "Attach<", "Submit…", "Withdraw…"):
        assert control not in page, control
    attachment = draft.attachments.get()
    assert client.get(_url("attachment_download", attachment.pk)).status_code == 200


def test_everyone_else_gets_404(draft, applicant, other_applicant, cast, login) -> None:
    complete(draft, applicant.user)
    line, attachment = draft.budget_lines.get(), draft.attachments.get()
    gets = [
        _url("application_detail", draft.pk),
        _url("attachment_download", attachment.pk),
        _url("budget_preview", draft.pk),
    ]
    posts = [
        _url("application_autosave", draft.pk),
        _url("application_save", draft.pk),
        _url("budget_line_remove", line.pk),
        _url("attachment_remove", attachment.pk),
        _url("application_withdraw", draft.pk),
    ]
    for user in (other_applicant.user, cast.officer, cast.reviewer, cast.viewer, cast.outsider):
        client = login(user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {"q-summary": "mine now"}).status_code == 404, (user, url)
    draft.refresh_from_db()
    assert draft.answers["summary"] == "We document." and draft.budget_lines.exists()
    assert login(cast.reviewer).get(_url("call_applications", draft.call_id)).status_code == 404


def test_anonymous_is_sent_to_sign_in(draft, client) -> None:
    response = client.get(_url("application_detail", draft.pk))
    assert response.status_code == 302 and "login" in response["Location"]
