"""Links from an evidence item to the documentation it supports: an incident, a violation, a
person (by pseudonymous code) or a source, of the item's own organisation. A link is created and
removed by ``actions.links`` (custody "linked"/"unlinked", audited); removing deletes the row,
the custody log keeps both events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models.items import Item

TARGETS = ("incident", "violation", "person", "source")


def _one_target() -> Q:
    """The field named by ``kind`` is set, and no other target field."""
    condition = Q()
    for kind in TARGETS:
        fields = {f"{name}__isnull": name != kind for name in TARGETS}
        condition |= Q(kind=kind, **fields)
    return condition


class Link(models.Model):
    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        VIOLATION = "violation", _("Violation")
        PERSON = "person", _("Person")
        SOURCE = "source", _("Source")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Exactly one target, the one named by ``kind`` (a check constraint). A deleted draft record
    # takes its links with it; the item's custody log keeps the "linked" entry.
    incident = models.ForeignKey(
        "violations.Incident", on_delete=models.CASCADE, null=True, blank=True,
        related_name="evidence_links",
    )  # fmt: skip
    violation = models.ForeignKey(
        "violations.Violation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="evidence_links",
    )  # fmt: skip
    person = models.ForeignKey(
        "violations.Person", on_delete=models.CASCADE, null=True, blank=True,
        related_name="evidence_links",
    )  # fmt: skip
    source = models.ForeignKey(
        "violations.Source", on_delete=models.CASCADE, null=True, blank=True,
        related_name="evidence_links",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence link")
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="evidence_link_one_target"),
            *[
                models.UniqueConstraint(
                    fields=["item", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"evidence_link_once_per_{name}",
                )
                for name in TARGETS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.kind} {self.target_id}"

    @property
    def target_id(self) -> int | None:
        value: int | None = getattr(self, f"{self.kind}_id", None)
        return value
