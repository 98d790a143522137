"""One date and time format per interface language, used on every page (``FORMAT_MODULE_PATH``).

Humans read dates with the month's name in their language, the same way everywhere (records,
lists, audit, tokens); machines read ISO 8601 (``<time datetime>``, exports, the API). Django's
own locale modules still supply everything not set here (input formats, number separators).
"""
