"""Sessions sealed at rest (``SESSION_ENGINE``).

Django's database sessions are signed but not encrypted: ``django_session.session_data`` is
base64 of (compressed) JSON. What a session holds would be readable by anyone with the database:
allauth keeps a TOTP secret there between showing the QR code and the first code (so whoever
reads it then knows the second factor the user is about to enable), and the state of sign-in
and re-authentication. This store seals the signed payload with the envelope encryption, under
the platform-wide ``accounts`` key (``encryption.mfa.SCOPE``), context ``sessions.session``.

A session that is not sealed, is altered or names an unknown key loads as empty (the person
signs in again): never half-trusted. Sessions live at most ``SESSION_ABSOLUTE_TIMEOUT``, so key
rotation does not re-encrypt them; a retired key still opens the sessions sealed under it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends import db

from justicework.encryption import keyring
from justicework.encryption.mfa import SCOPE

CONTEXT = "sessions.session"
logger = logging.getLogger("django.security.SuspiciousSession")


class SessionStore(db.SessionStore):
    def encode(self, session_dict: dict[str, Any]) -> str:
        signed = super().encode(session_dict)
        return str(keyring.encrypt(signed.encode("ascii"), SCOPE, CONTEXT))

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        if isinstance(session_data, bytes):
            session_data = session_data.decode("ascii", "replace")
        if not keyring.is_ciphertext(session_data):
            logger.warning("A session stored in clear was ignored.")
            return {}
        try:
            signed = keyring.decrypt(session_data, CONTEXT).decode("ascii")
        except (keyring.EncryptionError, UnicodeDecodeError):
            logger.warning("Session data failed authentication.")
            return {}
        decoded: dict[str, Any] = super().decode(signed)
        return decoded
