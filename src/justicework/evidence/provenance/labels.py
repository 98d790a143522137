"""Words shown for stored provenance: field names and findings (codes are stored, words are
chosen at display time so that each reader sees their language)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELDS: dict[str, Promise] = {
    "format": _("File format"),
    "width": _("Width (pixels)"),
    "height": _("Height (pixels)"),
    "camera_make": _("Camera make"),
    "camera_model": _("Camera model"),
    "lens_model": _("Lens"),
    "body_serial_number": _("Camera serial number"),
    "software": _("Software"),
    "artist": _("Artist"),
    "gps_altitude_m": _("Altitude (metres)"),
    "pages": _("Pages"),
    "encrypted": _("Encrypted"),
    "title": _("Title"),
    "author": _("Author"),
    "subject": _("Subject"),
    "creator_tool": _("Created with"),
    "producer": _("Producer"),
    "created": _("Created (as stated)"),
    "modified": _("Modified (as stated)"),
    "container": _("Container"),
    "duration_s": _("Duration (seconds)"),
    "device_make": _("Device make"),
    "device_model": _("Device model"),
    "encoder": _("Encoder"),
    "comment": _("Comment"),
    "streams": _("Streams"),
}

FINDINGS: dict[str, Promise] = {
    "unreadable": _("The file could not be read as this type: it may be truncated or damaged."),
    "too_large": _("The image is too large to decode safely; its pixels were not read."),
    "pixels_unreadable": _(
        "The image's header was read but its pixels could not be decoded (truncated or damaged)."
    ),
    "exif_malformed": _("The EXIF data is malformed and was not read."),
    "no_exif": _("The image has no EXIF data (it may have been stripped)."),
    "time_malformed": _("A date in the file is not a valid date."),
    "time_without_zone": _(
        "The time of capture has no time zone: it is the device clock's local time, and the "
        "zone is unknown."
    ),
    "gps_malformed": _("The GPS data is malformed and was not read."),
    "gps_out_of_range": _("The GPS position is outside the valid range and was not kept."),
    "encrypted": _("The PDF is encrypted: its metadata could not be read."),
    "no_document_information": _("The PDF has no document information."),
    "field_malformed": _("A metadata field is malformed and was not read."),
    "no_streams": _("The container holds no audio or video stream."),
    "frames_unreadable": _("The video's key frames could not be decoded: no frame hashes."),
    "file_missing": _("The stored file is missing."),
    "reader_failed": _("The reader failed on this file: it is probably malformed."),
    "c2pa_none": _("The file has no C2PA Content Credentials (never added, or stripped)."),
    "c2pa_invalid": _(
        "The file's C2PA Content Credentials do not validate: the file or its manifest was "
        "changed after signing."
    ),
    "c2pa_untrusted": _(
        "Untrusted signer: the C2PA signature verifies, but its signer is on no trust list "
        "known here: who signed is a claim."
    ),
    "c2pa_unreadable": _("The file's C2PA manifest could not be read."),
    "c2pa_trust_list_unreadable": _(
        "The configured C2PA trust list could not be read: the signer was not checked against it."
    ),
}

#: C2PA validation states as shown
CREDENTIAL_STATES: dict[str, Promise] = {
    "none": _("No Content Credentials"),
    "valid": _("Valid (signer not on a trust list)"),
    "trusted": _("Valid, signer trusted"),
    "invalid": _("Invalid"),
    "unreadable": _("Unreadable"),
}


def field_rows(metadata: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(label, value) for each stored field, in the order of ``FIELDS``."""
    return [(label, metadata[name]) for name, label in FIELDS.items() if name in metadata]


def finding_rows(findings: list[dict[str, str]]) -> list[tuple[Any, str]]:
    return [
        (FINDINGS.get(f.get("code", ""), f.get("code", "")), f.get("detail", "")) for f in findings
    ]
