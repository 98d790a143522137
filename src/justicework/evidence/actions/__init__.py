"""Every write of the evidence vault (STYLE 1): one module per noun, re-exported here."""

from justicework.evidence.actions.access import download_original, record_view
from justicework.evidence.actions.copies import copy_item
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.derivatives import make_derivatives, share_stripped_copy
from justicework.evidence.actions.items import create_item, set_graphic
from justicework.evidence.actions.links import link_item, unlink_item
from justicework.evidence.actions.provenance import extract_provenance
from justicework.evidence.actions.transfers import record_transfer
from justicework.evidence.actions.uploads import (
    advance_upload,
    complete_upload,
    create_upload,
    expire_uploads,
    terminate_upload,
)
from justicework.evidence.actions.verification import (
    record_finding,
    set_status,
    set_two_person_verification,
)

__all__ = [
    "advance_upload",
    "append_custody",
    "complete_upload",
    "copy_item",
    "create_item",
    "create_upload",
    "download_original",
    "expire_uploads",
    "extract_provenance",
    "link_item",
    "make_derivatives",
    "record_finding",
    "record_transfer",
    "record_view",
    "set_graphic",
    "set_status",
    "set_two_person_verification",
    "share_stripped_copy",
    "terminate_upload",
    "unlink_item",
]
