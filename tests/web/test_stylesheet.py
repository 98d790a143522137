"""The one stylesheet: AA contrast for its colour pairs, logical properties only (so the
right-to-left layout needs no second stylesheet), no fonts or images from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import justicework

CSS = (Path(justicework.__file__).resolve().parent / "static/justicework/app.css").read_text()
VARIABLES = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("ink", "paper", 4.5),
        ("ink", "wash", 4.5),
        ("muted", "paper", 4.5),
        ("muted", "wash", 4.5),
        ("link", "paper", 4.5),
        ("brand-ink", "brand", 4.5),
        ("brand", "paper", 4.5),
        ("ok-ink", "ok-bg", 4.5),
        ("warn-ink", "warn-bg", 4.5),
        ("err-ink", "err-bg", 4.5),
        ("paper", "err-ink", 4.5),
        ("focus", "paper", 3.0),  # non-text: focus indicator
    ],
)
def test_colour_pairs_meet_wcag_aa(foreground: str, background: str, minimum: float) -> None:
    assert contrast(VARIABLES[foreground], VARIABLES[background]) >= minimum


def test_contrast_helper_knows_black_on_white() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_only_logical_direction_properties() -> None:
    physical = re.compile(
        r"(?<![-\w])(?:margin|padding|border)-(?:left|right)\b"
        r"|(?<![-\w])(?:left|right)\s*:"
        r"|text-align:\s*(?:left|right)"
        r"|float:\s*(?:left|right)"
    )
    assert physical.findall(CSS) == []


def test_focus_is_always_visible_and_nothing_is_fetched_from_elsewhere() -> None:
    assert ":focus-visible" in CSS
    assert "outline: none" not in CSS.replace("main:focus { outline: none; }", "")
    assert "@import" not in CSS and "@font-face" not in CSS and "url(" not in CSS
