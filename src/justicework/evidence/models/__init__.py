from justicework.evidence.models.captures import Capture
from justicework.evidence.models.custody import CustodyEntry
from justicework.evidence.models.derivatives import Derivative
from justicework.evidence.models.items import Item
from justicework.evidence.models.links import Link
from justicework.evidence.models.originals import Original
from justicework.evidence.models.packages import Package
from justicework.evidence.models.provenance import FrameHash, Provenance
from justicework.evidence.models.removals import RemovalRequest, Tombstone
from justicework.evidence.models.searches import SavedSearch
from justicework.evidence.models.transfers import Transfer
from justicework.evidence.models.uploads import Upload
from justicework.evidence.models.verification import Finding, VaultSettings

__all__ = [
    "Capture",
    "CustodyEntry",
    "Derivative",
    "Finding",
    "FrameHash",
    "Item",
    "Link",
    "Original",
    "Package",
    "Provenance",
    "RemovalRequest",
    "SavedSearch",
    "Tombstone",
    "Transfer",
    "Upload",
    "VaultSettings",
]
