"""Merit review: the reviewers' scores per criterion, the consolidation of an application's
scores, the call's overall threshold for the ranking, and the decision (recorded once, never
changed: the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.fields import validate_currency
from justicework.grants.models.applications import Application
from justicework.grants.models.programmes import Call, Criterion
from justicework.grants.models.review import Assignment


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    #: a draft until submitted; a submitted review is no longer changed
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.assignment_id}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="grants_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.criterion_id}: {self.score}"


class Consolidation(models.Model):
    class Method(models.TextChoices):
        AVERAGE = "average", _("average of the reviews")
        CONSENSUS = "consensus", _("consensus meeting")
        MODERATOR = "moderator", _("moderator's final score")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="consolidation"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    #: the consensus meeting's notes, or the moderator's reasons
    notes = models.TextField(_("notes and reasons"), blank=True)
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consolidated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.method}"


class ConsolidatedScore(models.Model):
    consolidation = models.ForeignKey(
        Consolidation, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["consolidation", "criterion__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consolidation", "criterion"], name="grants_consolidated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consolidation_id}/{self.criterion_id}: {self.score}"


class RankingThreshold(models.Model):
    """The weighted total an application needs to be fundable (per-criterion thresholds are on
    the criteria)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="ranking_threshold")
    overall = models.DecimalField(_("overall threshold"), max_digits=8, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.call_id}: {self.overall}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        AWARD = "award", _("award")
        RESERVE = "reserve", _("reserve list")
        REJECT = "reject", _("reject")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    #: the amount awarded, in the call's currency (awards only)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    #: the reasons given to the applicant
    reasons = models.TextField(_("reasons given to the applicant"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class RankingEntry(models.Model):
    """An application's scores as the ranking shows them, kept by the actions that change them
    (a review submitted, a consolidation, a change to the call's criteria: see
    ``grants/ranking_store.py``), so the ranking reads one row per application instead of
    averaging every review score on each request. Only applications with a submitted review or
    a consolidation have one; the call's overall threshold is applied when reading (it changes
    without touching the scores)."""

    class Source(models.TextChoices):
        CONSOLIDATED = "consolidated", _("consolidated scores")
        REVIEWS = "reviews", _("average of the submitted reviews")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="ranking_entry"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("scores from"), max_length=12, choices=Source.choices)
    #: criterion id (as text) -> its score as text ("7.33"), the scored criteria it has one for
    scores = models.JSONField(default=dict)
    #: submitted reviews
    reviews = models.PositiveIntegerField(default=0)
    #: the weighted total, when every scored criterion has a score
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2, null=True)
    #: the codes of the criteria whose threshold the application is below
    below = models.JSONField(default=list)
    #: ``below`` is not empty (read for every application to count them; the list only for
    #: the rows shown)
    below_criterion = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["call", "total"], name="grants_ranking_call_total")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.total}"
