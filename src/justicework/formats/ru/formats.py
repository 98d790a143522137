"""Formats for Russian (see the package docstring)."""
# ruff: noqa: RUF001  # the Cyrillic abbreviation of "year" after the year, not a Latin r

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i"
YEAR_MONTH_FORMAT = "F Y г."
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
