"""One rule per field of what a client sends with a file (STYLE 17): the name, the hash of the
whole file it declares, and the collection record (Berkeley Protocol). The tus creation request
(its ``Upload-Metadata``), the upload page (which sends the same keys) and the actions all clean
with :func:`clean_metadata`; each field is declared once, with its bound and its kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def _text(value: str, limit: int) -> str:
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if len(text) > limit:
        raise ValidationError(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def _sha256(value: str, limit: int) -> str:
    value = value.strip()
    if value and not _HEX64.match(value):
        raise ValidationError(_("A SHA-256 is 64 hexadecimal digits."))
    return value.lower()


def _moment(value: str, limit: int) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError(
            _("Give the time as ISO 8601, with its offset (2024-03-01T14:30:00+02:00).")
        ) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(_("Give the time zone or offset of the time of collection."))
    if moment > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
        raise ValidationError(_("The time of collection is in the future."))
    return moment


def _url(value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(value) > limit:
        raise ValidationError(
            _("Give the full address, starting with https:// or http:// (at most %(limit)d).")
            % {"limit": limit}
        )
    return value


@dataclass(frozen=True)
class MetadataField:
    key: str  # the Upload-Metadata key (and the page's form field)
    attr: str  # the Item field it fills ("" for what is not stored on the item)
    label: Any
    limit: int
    clean: Callable[[str, int], Any]


FIELDS: tuple[MetadataField, ...] = (
    MetadataField("filename", "", gettext_lazy("File name"), 4096, lambda v, n: v[:n]),
    MetadataField("sha256", "", gettext_lazy("SHA-256 of the whole file"), 64, _sha256),
    MetadataField("collector", "collector", gettext_lazy("Collected by"), 200, _text),
    MetadataField("collected_at", "collected_at", gettext_lazy("Time of collection"), 40, _moment),
    MetadataField("tool", "collection_tool", gettext_lazy("Tool or device"), 300, _text),
    MetadataField("source_url", "source_url", gettext_lazy("Source address"), 2000, _url),
    MetadataField("method", "collection_method", gettext_lazy("Method"), 2000, _text),
    MetadataField(
        "sha256_at_collection",
        "sha256_at_collection",
        gettext_lazy("SHA-256 at collection"),
        64,
        _sha256,
    ),
)
BY_KEY = {f.key: f for f in FIELDS}


@dataclass(frozen=True)
class Intake:
    """What a client declared with a file, cleaned."""

    filename: str
    sha256: str
    record: dict[str, Any]  # Item field → value (the collection record; empty values left out)
    graphic: bool = False  # the uploader marks the file as graphic (blurred in every view)

    def as_metadata(self) -> dict[str, str]:
        """JSON-safe, for the Upload row (cleaned again, unchanged, at completion)."""
        out = {"filename": self.filename, "sha256": self.sha256}
        if self.graphic:
            out["graphic"] = "1"
        for field in FIELDS:
            if field.attr and field.attr in self.record:
                value = self.record[field.attr]
                out[field.key] = value.isoformat() if isinstance(value, dt.datetime) else value
        return out


def clean_metadata(raw: Mapping[str, str]) -> Intake:
    """Clean the declared values; a ``ValidationError`` names each bad key with its reason.
    Keys this vault does not know (``filetype``, which a browser guesses from the name) are
    ignored."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key, field in BY_KEY.items():
        text = raw.get(key, "")
        if len(text) > field.limit * 4:
            errors[key] = [_("At most %(limit)d characters.") % {"limit": field.limit}]
            continue
        try:
            values[key] = field.clean(text, field.limit)
        except ValidationError as exc:
            errors[key] = [str(m) for m in exc.messages]
    graphic = raw.get("graphic", "").strip().lower()
    if graphic not in GRAPHIC_VALUES:
        errors["graphic"] = [_("Give 1 (graphic) or 0 (not graphic).")]
    if errors:
        raise ValidationError(errors)
    record = {f.attr: values[f.key] for f in FIELDS if f.attr and values[f.key] not in ("", None)}
    return Intake(values["filename"], values["sha256"], record, GRAPHIC_VALUES[graphic])


#: ``Upload-Metadata`` ``graphic``: the file shows violence or injury (blurred in every view)
GRAPHIC_VALUES = {"": False, "0": False, "false": False, "1": True, "true": True}
