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

The session key (the cookie's value) is not stored either: the row's primary key is
:func:`stored_key`, a SHA-256 of it, so whoever reads ``django_session`` cannot present a live
session's cookie. The cookie's 190 random bits make the hash impossible to invert.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone

from justicework.encryption import keyring
from justicework.encryption.mfa import SCOPE

CONTEXT = "sessions.session"
logger = logging.getLogger("django.security.SuspiciousSession")


def stored_key(session_key: str) -> str:
    """What ``django_session.session_key`` holds for a cookie's session key (40 hex digits, the
    column's length; never the same length as a 32-character cookie key)."""
    return hashlib.sha256(session_key.encode("ascii", "replace")).hexdigest()[:40]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is not None:
            found = self.model.objects.filter(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            ).first()
            if found is not None:
                return found
        self._session_key = None
        return None

    async def _aget_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is not None:
            found = await self.model.objects.filter(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            ).afirst()
            if found is not None:
                return found
        self._session_key = None
        return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        return bool(await self.model.objects.filter(session_key=stored_key(session_key)).aexists())

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance: AbstractBaseSession = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        # Sealing may read the data key from the database: not allowed in an event loop.
        return await sync_to_async(self.create_model_instance)(data)

    async def aload(self) -> dict[str, Any]:
        found = await self._aget_session_from_db()
        if found is None:
            return {}
        # Opening may read the data key from the database: not allowed in an event loop.
        decoded: dict[str, Any] = await sync_to_async(self.decode)(found.session_data)
        return decoded

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            self.model.objects.filter(session_key=stored_key(key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            await self.model.objects.filter(session_key=stored_key(key)).adelete()

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
