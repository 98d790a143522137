"""Web captures: ask for one (202: the task worker fetches it) and follow it (its status, the
WARC and screenshot items once done); only the person who asked sees a capture."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from justicework.api.types import Id
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.actions.capture_requests import request_capture
from justicework.evidence.models import Capture

router = Router(tags=["evidence"])


class CaptureIn(Schema):
    url: str = Field(max_length=2000)
    organisation_id: Id


class CaptureOut(Schema):
    id: uuid.UUID
    organisation_id: int
    url: str
    status: str
    item_id: int | None
    screenshot_id: int | None
    screenshot_reason: str
    final_url: str
    http_status: int | None
    address: str
    problem: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


@router.post("", response={202: CaptureOut}, operation_id="evidence_request_capture")
def create_capture(request: HttpRequest, payload: CaptureIn) -> Any:
    user = _user(request)
    organisation = policy.get_or_404(
        user, Organisation, "evidence.capture", pk=payload.organisation_id
    )
    capture = request_capture(user, organisation, payload.url)
    capture.refresh_from_db()
    return Status(202, capture)


@router.get("/{capture_id}", response=CaptureOut, operation_id="evidence_get_capture")
def get_capture(request: HttpRequest, capture_id: uuid.UUID) -> Any:
    return policy.get_or_404(_user(request), Capture, "view", pk=capture_id)
