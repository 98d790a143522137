"""Policy rules for the violations app (filled in below)."""

from __future__ import annotations


def register() -> None:
    """Register the app's rules with the policy."""
