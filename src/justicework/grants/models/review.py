"""Formal eligibility, conflicts of interest and the reviewers' assignments.

Eligibility is a checklist per application: each item found automatically where the data allows
(deadline, form, country, legal form, declaration attachment, one proposal per applicant) or
decided by staff, then confirmed by two different staff before merit review. Reviewers declare
their conflicts for the whole call before any application opens for them, and again per
application when assigned (a conflict there is a recusal)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.fields import validate_codes
from justicework.grants.models.applicants import LegalEntity
from justicework.grants.models.applications import Application
from justicework.grants.models.programmes import Call


class ReviewerProfile(models.Model):
    """What the assignment needs to know of a reviewer beyond the account: the languages they
    can review in (UI language codes)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    languages = models.JSONField(
        _("languages reviewed in"), default=list, blank=True, validators=[validate_codes]
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.languages)}"


class EligibilityCheck(models.Model):
    class Item(models.TextChoices):
        ON_TIME = "on_time", _("Submitted on time")
        COMPLETE = "complete", _("Complete (every required answer and a budget)")
        COUNTRY = "country", _("Eligible country")
        LEGAL_FORM = "legal_form", _("Eligible legal form")
        DECLARATION = "declaration", _("Declaration of honour signed")
        ONE_PROPOSAL = "one_proposal", _("One proposal per applicant in the call")
        NO_CONFLICT = "no_conflict", _("No conflict of interest")

    class Result(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        UNKNOWN = "unknown", _("to be decided by staff")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    item = models.CharField(_("item"), max_length=14, choices=Item.choices)
    #: what the data says (``unknown`` where it cannot say)
    automatic = models.CharField(
        _("found in the data"), max_length=8, choices=Result.choices, default=Result.UNKNOWN
    )
    automatic_note = models.CharField(_("why"), max_length=300, blank=True)
    #: a staff decision, overriding the automatic result; blank: none recorded
    decision = models.CharField(
        _("staff decision"), max_length=8, choices=Result.choices, blank=True
    )
    note = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="grants_elig_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.item}: {self.result}"

    @property
    def result(self) -> str:
        return self.decision or self.automatic


class EligibilityConfirmation(models.Model):
    """One staff member's confirmation of the checklist's outcome; two different staff make
    it final (the second applies it to the application)."""

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("not eligible")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_confirmations"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    #: the items not met, in words (told to the applicant when ineligible)
    reason = models.TextField(_("reason"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "confirmed_by"], name="grants_elig_confirm_once_per_staff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class ConflictKind(models.TextChoices):
    RELATIONSHIP = "relationship", _("Family, personal or professional relationship")
    FINANCIAL = "financial", _("Financial interest")
    INVOLVEMENT = "involvement", _("Involvement in the proposal")


class ConflictDeclaration(models.Model):
    """A reviewer's declaration for a call, made before any of its applications opens for
    them: none, or the applicant entities they are conflicted with (``DeclaredConflict``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflict_declarations")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "declared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "reviewer"], name="grants_conflict_decl_once")
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.reviewer_id}"


class DeclaredConflict(models.Model):
    declaration = models.ForeignKey(
        ConflictDeclaration, on_delete=models.CASCADE, related_name="conflicts"
    )
    entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ConflictKind.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["declaration", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "entity"], name="grants_conflict_entity_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id}: {self.entity_id} ({self.kind})"


class Assignment(models.Model):
    """A reviewer asked to review an application."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("assigned")
        RECUSED = "recused", _("recused")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    #: the reviewer's declaration of no conflict with this application (before scoring)
    no_conflict_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="grants_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["reviewer", "call"], name="grants_assign_reviewer")]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.reviewer_id}"


class Recusal(models.Model):
    """A reviewer stood down from an application (their declaration when assigned, or a
    conflict declared for the call afterwards)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="recusal")
    kind = models.CharField(_("kind"), max_length=12, choices=ConflictKind.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind}"
