"""Fixtures for the applications part: a draft started through the action, a tiny PDF (made
with fpdf2) and a helper that completes a draft so it can be submitted."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from fpdf import FPDF

from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_application_files as files
from justicework.grants import actions_applications as actions
from justicework.grants.models import Application, Attachment, Call


def pdf_bytes(text: str = "Declaration of honour") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


@pytest.fixture
def pdf() -> bytes:
    return pdf_bytes()


@pytest.fixture
def draft(open_call: Call, applicant: SimpleNamespace) -> Application:
    return actions.start_application(
        applicant.user, applicant.entity, open_call, title="Documenting detention in Kharkiv"
    )


def complete(application: Application, user: object, amount: str = "20000") -> Application:
    """Answer the required questions, add a budget line and the declaration of honour."""
    actor = user  # the applicant's member
    actions.save_answers(actor, application, {"summary": "We document.", "staff": "4"})  # type: ignore[arg-type]
    budget.add_budget_line(
        actor, application, activity_type="documentation", cost_category="staff", amount=amount
    )  # type: ignore[arg-type]
    files.add_attachment(
        actor, application, kind=Attachment.Kind.DECLARATION, name="declaration.pdf",
        chunks=[pdf_bytes()],
    )  # type: ignore[arg-type]  # fmt: skip
    application.refresh_from_db()
    return application


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """Sign a user in (a TOTP authenticator for roles that require a second factor)."""

    def _login(user: User) -> Client:
        if user.requires_mfa:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer() -> Callable[..., Client]:
    def make(user: User, scope: str = "write") -> Client:
        _token, secret = core_actions.create_token(
            user, name=f"{user.email} {scope}", scope=scope, expires_in_days=1
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
