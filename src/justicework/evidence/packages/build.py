"""Writing a package's members (``actions.packages`` writes the ZIP to a temporary file beside
the target and renames it when whole, so a crash leaves no half-written package). Each file
is copied into the ZIP in fixed pieces (memory flat whatever its size); the manifest, its
signature, the public key, the optional timestamp and ``verify.py`` come last.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from justicework.evidence.models import Item, Original
from justicework.evidence.packages import verify as verifier
from justicework.evidence.packages.manifest import file_path
from justicework.evidence.storage.originals import open_original

BUFFER = verifier.BUFFER
VERIFY_SOURCE = Path(verifier.__file__)
README = """This is an evidence package made by JusticeWork.

manifest.json  what the package holds: each file's hashes, size, names, collection record,
               metadata read from the file and its C2PA Content Credentials result,
               chain of custody, verification status and findings (source, item, content),
               and links (incidents by number and reference, persons by code only)
manifest.sig   the Ed25519 signature of manifest.json's exact bytes
public-key.pem the instance's public key (compare it with the one the instance publishes at
               /.well-known/justicework/evidence-key, or pass that one with --key)
manifest.tsr   (when present) an RFC 3161 timestamp of manifest.json
verify.py      checks all of the above: python3 verify.py THIS.zip [--key TRUSTED.pem]
               (needs Python 3.10+ and the cryptography package)
files/         the files, under files/<SHA-256>/<name>
"""

Progress = Callable[[int, int], None]


def write_files(archive: zipfile.ZipFile, items: Sequence[Item], progress: Progress) -> None:
    """Copy each distinct file into ``archive``; ``progress(bytes done, bytes in all)``."""
    paths: dict[str, Original] = {}
    for item in items:
        paths.setdefault(file_path(item), item.original)
    total = sum({original.pk: original.size for original in paths.values()}.values())
    done = 0
    for path, original in paths.items():
        info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o444 << 16
        with open_original(original) as source, archive.open(info, "w", force_zip64=True) as out:
            while chunk := source.read(BUFFER):
                out.write(chunk)
                done += len(chunk)
                progress(done, total)
    progress(total, total)


def write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o444 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
