"""The tus 1.0 server (core, creation, checksum, termination, expiration) as function views.

``/api/v1/evidence/uploads/`` (OPTIONS, POST) and ``/api/v1/evidence/uploads/<id>`` (HEAD,
PATCH, DELETE). Callers sign in with an API token (``Authorization: Bearer …``, a write token)
or the browser session (unsafe methods with the ``X-CSRFToken`` header), exactly as the rest of
the API (``api.auth``). The organisation is the ``organisation`` metadata (an id), else the
session's active one, else the only one the caller may upload to. What the policy does not let
the caller touch is 404, whether it exists or not. docs/evidence.md, "Intake", lists every
status answered.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import HttpError

from justicework.api.auth import SessionAuth, TokenAuth
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence import actions
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.intake.receive import CHECKSUM_ALGORITHMS, Checksum, receive
from justicework.evidence.models import Item, Upload
from justicework.evidence.storage import store

VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination,expiration"
OFFSET_TYPE = "application/offset+octet-stream"


def _answer(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _authenticate(request: HttpRequest) -> User:
    """The caller, by token or session (PermissionDenied: 403, None: 401)."""
    try:
        if request.headers.get("Authorization"):
            token = TokenAuth()(request)
            user = token.user if token is not None else None
        else:
            user = SessionAuth()(request)
    except HttpError as exc:
        raise PermissionDenied(str(exc)) from exc
    if not policy.is_authenticated(user):
        raise _Unauthorised
    return user


class _Unauthorised(Exception):
    pass


def tus_view(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate, check ``Tus-Resumable`` and turn refusals into tus answers."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _options()
        try:
            user = _authenticate(request)
            return handler(request, user, *args, **kwargs)
        except _Unauthorised:
            return _answer(401, _("Sign in, or send an API token."))
        except PermissionDenied as exc:
            return _answer(403, str(exc) or _("This action is not allowed."))
        except Http404:
            return _answer(404, _("No such upload."))
        except ValidationError as exc:
            return _answer(400, _validation_text(exc))
        except IntakeError as exc:
            extra = {"Tus_Version": VERSION} if exc.status == 412 else {}
            return _answer(exc.status, exc.message, **extra)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return csrf_exempt(view)  # the session's CSRF check is SessionAuth's, as in the API


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{key}: {' '.join(str(m) for e in errors for m in e.messages)}"
            for key, errors in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def _require_version(request: HttpRequest) -> None:
    """Asked after the caller and the upload are known, so that a refusal comes first."""
    if request.headers.get("Tus-Resumable") != VERSION:
        raise IntakeError(_("This server speaks tus 1.0.0."), 412)


def _options() -> HttpResponse:
    return _answer(
        204,
        Tus_Version=VERSION,
        Tus_Extension=EXTENSIONS,
        Tus_Max_Size=str(settings.EVIDENCE_MAX_UPLOAD_BYTES),
        Tus_Checksum_Algorithm=",".join(CHECKSUM_ALGORITHMS),
    )


def parse_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata: key base64,key2 base64`` → {key: text}; 400 when malformed."""
    result: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _space, encoded = pair.partition(" ")
        try:
            result[key] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise IntakeError(
                _("Upload-Metadata %(key)s is not base 64 of UTF-8 text.") % {"key": key}
            ) from exc
    return result


def _header_int(request: HttpRequest, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise IntakeError(_("%(name)s must be a whole number of bytes.") % {"name": name})
    return int(value)


def _organisation(request: HttpRequest, user: User, metadata: dict[str, str]) -> Organisation:
    wanted = metadata.pop("organisation", "")
    if wanted:
        return policy.get_or_404(user, Organisation, "evidence.upload", pk=wanted)
    membership: Any = getattr(request, "membership", None)
    if membership is not None:
        return membership.organisation  # type: ignore[no-any-return]  # the request's attribute
    allowed = policy.allowed_organisation_ids(user, "evidence.upload")
    if len(allowed) != 1:
        raise IntakeError(_("Say which organisation the file is for (metadata organisation)."))
    return Organisation.objects.get(pk=allowed[0])


def _location(request: HttpRequest, upload: Upload) -> str:
    return request.build_absolute_uri(reverse("evidence_tus:upload", args=[upload.pk]))


def _finished(upload: Upload, item: Item | None) -> dict[str, str]:
    if item is None:
        return {}
    return {
        "Evidence_Item": reverse("evidence:item_detail", args=[item.pk]),
        "Evidence_Sha256": item.original.sha256,
    }


@tus_view
def uploads(request: HttpRequest, user: User) -> HttpResponse:
    """POST: create an upload (``Upload-Length``, ``Upload-Metadata``)."""
    _require_version(request)
    if request.method != "POST":
        return _answer(405, Allow="OPTIONS, POST")
    if request.headers.get("Upload-Defer-Length"):
        return _answer(400, _("Give Upload-Length: deferred lengths are not supported."))
    length = _header_int(request, "Upload-Length")
    metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    organisation = _organisation(request, user, metadata)
    upload = actions.create_upload(user, organisation, length=length, metadata=metadata)
    item = actions.complete_upload(user, upload) if length == 0 else None
    return _answer(
        201, Location=_location(request, upload), Upload_Offset=str(upload.offset),
        Upload_Expires=http_date(upload.expires_at.timestamp()), **_finished(upload, item),
    )  # fmt: skip


def _open_upload(user: User, upload_id: UUID) -> Upload:
    upload = policy.get_or_404(user, Upload.objects.select_related("organisation"), "change",
                               pk=upload_id)  # fmt: skip
    if upload.status in {Upload.Status.RECEIVING, Upload.Status.COMPLETED} and not (
        upload.status == Upload.Status.RECEIVING and not upload.is_open
    ):
        return upload
    raise IntakeError(upload.problem or _("This upload has ended; start it again."), 410)


def _complete_if_due(user: User, upload: Upload) -> Item | None:
    """An upload whose last byte is in but whose item is not (a crash between the two) is
    finished by its next request."""
    if upload.status == Upload.Status.RECEIVING and upload.offset == upload.length:
        return actions.complete_upload(user, upload)
    return upload.item if upload.status == Upload.Status.COMPLETED else None


@tus_view
def upload(request: HttpRequest, user: User, upload_id: UUID) -> HttpResponse:
    """HEAD: where it stands; PATCH: the next bytes; DELETE: termination."""
    found = _open_upload(user, upload_id)
    _require_version(request)
    if request.method == "HEAD":
        item = _complete_if_due(user, found)
        return _answer(
            200, Upload_Offset=str(found.offset), Upload_Length=str(found.length),
            Upload_Expires=http_date(found.expires_at.timestamp()), **_finished(found, item),
        )  # fmt: skip
    if request.method == "PATCH":
        return _patch(request, user, found)
    if request.method == "DELETE":
        actions.terminate_upload(user, found)
        return _answer(204)
    return _answer(405, Allow="OPTIONS, HEAD, PATCH, DELETE")


def _patch(request: HttpRequest, user: User, found: Upload) -> HttpResponse:
    if request.content_type != OFFSET_TYPE:
        return _answer(415, _("Send the bytes as %(type)s.") % {"type": OFFSET_TYPE})
    offset = _header_int(request, "Upload-Offset")
    if found.status != Upload.Status.RECEIVING or offset != found.offset:
        return _answer(
            409, _("The upload is at byte %(offset)s, not %(asked)s: ask HEAD and resume.")
            % {"offset": found.offset, "asked": offset}, Upload_Offset=str(found.offset),
        )  # fmt: skip
    checksum = Checksum.parse(request.headers.get("Upload-Checksum", ""))
    length = int(request.headers.get("Content-Length") or 0)
    part = store().part_path(found.pk)
    new_offset, states = receive(found, part, request, length, checksum)  # type: ignore[arg-type]  # a request reads like a file
    if not actions.advance_upload(user, found, offset=new_offset, states=states):
        return _answer(409, _("Another request moved this upload; ask HEAD and resume."))
    item = _complete_if_due(user, found)
    return _answer(204, Upload_Offset=str(found.offset), **_finished(found, item))
