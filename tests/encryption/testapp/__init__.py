"""Test-only models with encrypted fields (installed by ``settings_test`` only)."""
