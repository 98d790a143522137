"""The response that carries an original's bytes away (the item page's download and the API's):
streamed from the store (``storage.originals.open_original``: plaintext, decrypted chunk by
chunk when sealed, on either backend), as an attachment whose name is the item's neutralised
display name, never kept by a cache."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

from justicework.evidence.intake import naming
from justicework.evidence.models import Item


def original_response(stream: IO[bytes], item: Item) -> FileResponse:
    name = naming.neutralise(item.display_name)  # never empty; no path, control or bidi
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=item.original.media_type
    )
    response["Content-Length"] = str(item.original.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
