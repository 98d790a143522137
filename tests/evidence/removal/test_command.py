"""``justicework evidence removal ...``: the same procedure from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from justicework.evidence.models import RemovalRequest, Tombstone

from ..conftest import upload_file
from .helpers import second_admin


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evidence", "removal", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def item(documenter, acme):
    return upload_file(documenter, acme, b"removed from the command line", filename="cli.txt")


def test_two_admins_remove_an_item_from_the_command_line(admin, acme, item):
    said = run("request", "--item", str(item.pk), "--reason", "Court order",
               "--legal-basis", "Order 7/2026", "--as", admin.email)  # fmt: skip
    request = RemovalRequest.objects.get()
    assert said.strip() == (
        f"request {request.pk}: removal of item {item.pk} asked; another admin must decide it."
    )
    other = second_admin(acme)
    listing = run("list", "--as", other.email)
    assert f"request {request.pk}: item {item.pk}, asked by admin@acme.test" in listing
    assert "legal basis: Order 7/2026" in listing
    said = run("approve", str(request.pk), "--note", "checked", "--as", other.email)
    assert f"item {item.pk} is a tombstone (SHA-256 {item.original.sha256})" in said
    assert Tombstone.objects.filter(item=item).exists()


def test_the_requester_cannot_approve_from_the_command_line(admin, item):
    run("request", "--item", str(item.pk), "--reason", "r", "--legal-basis", "b",
        "--as", admin.email)  # fmt: skip
    request = RemovalRequest.objects.get()
    with pytest.raises(CommandError, match="Not allowed: You asked for this removal"):
        run("approve", str(request.pk), "--as", admin.email)
    assert RemovalRequest.objects.get().status == "pending"


def test_another_organisation_is_told_nothing(admin, beacon_admin, item):
    with pytest.raises(CommandError, match=f"No evidence item {item.pk} that you may see"):
        run("request", "--item", str(item.pk), "--reason", "r", "--legal-basis", "b",
            "--as", beacon_admin.email)  # fmt: skip
    run("request", "--item", str(item.pk), "--reason", "r", "--legal-basis", "b",
        "--as", admin.email)  # fmt: skip
    request = RemovalRequest.objects.get()
    with pytest.raises(CommandError, match=f"No removal request {request.pk} that you may see"):
        run("reject", str(request.pk), "--as", beacon_admin.email)


def test_a_non_admin_may_not_ask(analyst, item):
    with pytest.raises(CommandError, match="Not allowed"):
        run("request", "--item", str(item.pk), "--reason", "r", "--legal-basis", "b",
            "--as", analyst.email)  # fmt: skip
    assert not RemovalRequest.objects.exists()


def test_an_empty_legal_basis_is_refused(admin, item):
    with pytest.raises(CommandError, match=r"Give the legal basis\."):
        run("request", "--item", str(item.pk), "--reason", "r", "--legal-basis", " ",
            "--as", admin.email)  # fmt: skip
