"""Derivatives of originals: thumbnails, previews and metadata-stripped copies
(docs/evidence.md, "Derivatives"). ``make`` turns an original's bytes into derivative bytes (no
database); ``actions.derivatives`` stores them; ``checks`` verifies a derivative's link to its
original; ``command`` is ``justicework evidence derive``."""
