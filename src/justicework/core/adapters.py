"""allauth adapters: no self sign-up (admins invite members); second factors sealed at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from justicework.encryption import mfa


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    """allauth passes the TOTP secret and the recovery-code seed (and migrated codes) through
    these hooks before storing them in ``mfa_authenticator.data`` and after reading them."""

    def encrypt(self, text: str) -> str:
        return mfa.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa.unseal(encrypted_text)
