from justicework.evidence.models.captures import Capture
from justicework.evidence.models.custody import CustodyEntry
from justicework.evidence.models.items import Item
from justicework.evidence.models.originals import Original
from justicework.evidence.models.packages import Package
from justicework.evidence.models.provenance import Provenance
from justicework.evidence.models.uploads import Upload

__all__ = ["Capture", "CustodyEntry", "Item", "Original", "Package", "Provenance", "Upload"]
