"""What several records share: the country check and fuzzy dates (a start, an end, a precision
and whether approximate; the rule itself is ``violations.dates``).
"""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.dates import date_problems


def validate_country(value: str) -> None:
    if value and pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            _("%(code)r is not an ISO 3166-1 alpha-2 country code."), params={"code": value}
        )


class FuzzyDates(models.Model):
    """Dates with uncertainty: a start and an end, how precise they are, whether approximate.

    ``precision=month`` means only the month of ``start_date`` is known (the day is stored as 1);
    ``range`` means the act happened at some time between ``start_date`` and ``end_date``.
    """

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_approximate = models.BooleanField(_("approximate date"), default=False)

    class Meta:
        abstract = True

    def clean_dates(self) -> None:
        problems = date_problems(self.start_date, self.end_date, self.date_precision)
        if problems:
            raise ValidationError(problems)

    def clean(self) -> None:
        super().clean()
        self.clean_dates()
