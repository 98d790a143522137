"""A picture of a PDF's first page (pypdfium2: Google's PDFium, in-process), from which
``make`` takes the PDF's thumbnail and preview.

What keeps a hostile or broken PDF from hurting the worker:

* **Bounded pixels.** The page is rendered so that its longer side is ``longest`` pixels
  (the preview's size) whatever the page's size says: a 200 x 200 inch page (14,400 points)
  and a page claiming a billion points give the same 1280 x 1280 bitmap (under 5 MB), never a
  bitmap sized by the page (pdfium's own ``render(scale=...)`` would be 14,400 x 14,400 at 72
  dpi: about 620 MB). A page with no usable size (zero, negative, not a number) is refused.
* **First page only.** Nothing else is loaded, however many pages the document has.
* **Bounded time.** Rendering is progressive (``FPDF_RenderPageBitmap_Start``/``_Continue``):
  PDFium asks between page objects whether to pause, and it pauses once ``RENDER_SECONDS``
  have passed; the render is then abandoned and the reason recorded. (The check is between
  objects: parsing the page, or one huge object, is not interrupted.)
* **Nothing read but the original.** PDFium gets the original's plaintext as a stream from the
  storage layer (never a path), no password (an encrypted document is refused, not opened),
  and no form environment (no JavaScript, no XFA). It never opens files or URLs a PDF names
  (a test renders a page whose content stream claims to be in a file outside, ``/F``); the
  only other files it may read are fonts installed on the server, for unembedded fonts.
* **Errors stay ours.** A storage error while PDFium reads (a sealed chunk that fails
  authentication) would be lost inside PDFium's read callback; ``_Reader`` keeps it and it is
  raised again when PDFium returns, so a damaged original is named as such, not as a bad PDF.
* **One at a time.** PDFium is not thread-safe: every use holds ``_LOCK``.

``first_page`` raises ``NotRendered`` (the reason, in words) for anything that stops it.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from typing import IO, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

#: seconds a first page may take to render before it is abandoned (its reason recorded)
RENDER_SECONDS = 20.0
_LOCK = threading.Lock()
_FLAGS = pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER
_FLAGS |= pdfium_c.FPDF_RENDER_LIMITEDIMAGECACHE
#: the C type of IFSDK_PAUSE.NeedToPauseNow (int (*)(IFSDK_PAUSE*))
_PAUSE_CALLBACK: Any = type(pdfium_c.IFSDK_PAUSE().NeedToPauseNow)
_LOAD_ERRORS = {  # PDFium's error code -> the reason; "success" is a document of no pages
    pdfium_c.FPDF_ERR_SUCCESS: "the PDF has no pages",
    pdfium_c.FPDF_ERR_PASSWORD: "the PDF is protected by a password",
    pdfium_c.FPDF_ERR_SECURITY: "the PDF is encrypted with an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "the file is damaged or not a PDF (PDFium: data format error)",
    pdfium_c.FPDF_ERR_FILE: "the PDF could not be read (PDFium: file error)",
}


class NotRendered(Exception):
    """The first page could not be rendered; the reason is in words."""


class _Reader:
    """The original's stream as PDFium reads it (pypdfium2 calls ``seek`` and ``readinto``
    from PDFium's read callback). An exception there would be swallowed by ctypes and seen by
    PDFium as a short read, so it is kept in ``error`` and raised by ``raise_kept``."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.error: Exception | None = None

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` (PDFium wants it full, or it is an error); 0 after an error."""
        if self.error is not None:
            return 0
        view = memoryview(buffer).cast("B")
        done = 0
        try:
            while done < len(view):
                got = self.stream.readinto(view[done:])  # type: ignore[attr-defined]  # every store's stream has it
                if not got:
                    break
                done += got
        except Exception as exc:  # any: kept, and raised again by raise_kept
            self.error = exc
            return 0
        return done

    def raise_kept(self) -> None:
        if self.error is not None:
            raise self.error


def pixel_size(width: float, height: float, longest: int) -> tuple[int, int]:
    """The bitmap size for a page of ``width`` x ``height`` points: its longer side
    ``longest`` pixels, the other in proportion (at least 1)."""
    if not all(math.isfinite(side) and side > 0 for side in (width, height)):
        raise NotRendered(f"the first page has no usable size ({width:g} x {height:g} points)")
    scale = longest / max(width, height)
    return max(1, min(longest, round(width * scale))), max(1, min(longest, round(height * scale)))


def _render(page: pdfium.PdfPage, size: tuple[int, int]) -> Image.Image:
    width, height = size
    bitmap = pdfium.PdfBitmap.new_native(width, height, pdfium_c.FPDFBitmap_BGR, rev_byteorder=True)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
    deadline = time.monotonic() + RENDER_SECONDS
    callback = _PAUSE_CALLBACK(lambda _pause: time.monotonic() > deadline)
    pause = pdfium_c.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = callback  # ``callback`` stays referenced until the render ends
    status = pdfium_c.FPDF_RenderPageBitmap_Start(
        bitmap, page, 0, 0, width, height, 0, _FLAGS, ctypes.byref(pause)
    )
    try:
        while status == pdfium_c.FPDF_RENDER_TOBECONTINUED:
            if time.monotonic() > deadline:
                raise NotRendered(
                    f"rendering the first page took longer than {RENDER_SECONDS:g} seconds"
                )
            status = pdfium_c.FPDF_RenderPage_Continue(page, ctypes.byref(pause))
    finally:
        pdfium_c.FPDF_RenderPage_Close(page)
    if status != pdfium_c.FPDF_RENDER_DONE:
        raise NotRendered("PDFium could not render the first page")
    picture: Image.Image = bitmap.to_pil().copy()  # its own pixels: the bitmap's are freed
    return picture


def _first_page(reader: _Reader, longest: int) -> Image.Image:
    try:
        document = pdfium.PdfDocument(reader)
    except pdfium.PdfiumError as exc:
        reason = _LOAD_ERRORS.get(getattr(exc, "err_code", None), "")
        raise NotRendered(reason or f"PDFium could not open the PDF: {exc}") from exc
    try:
        if len(document) < 1:
            raise NotRendered("the PDF has no pages")
        page = document[0]
        try:
            width, height = page.get_size()
            return _render(page, pixel_size(width, height, longest))
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise NotRendered(f"PDFium could not load the first page: {exc}") from exc
    finally:
        document.close()


def first_page(stream: IO[bytes], longest: int) -> Image.Image:
    """The first page of the PDF in ``stream`` (seekable), rendered as RGB on white with its
    longer side ``longest`` pixels. ``NotRendered`` with the reason when it cannot be; an error
    of ``stream`` itself (``OriginalDamaged``) is raised as it is."""
    reader = _Reader(stream)
    with _LOCK:
        try:
            picture = _first_page(reader, longest)
        except NotRendered:
            reader.raise_kept()  # the storage's error, not the PDF's, when there was one
            raise
    reader.raise_kept()  # PDFium may have made do without the bytes it could not read
    return picture
