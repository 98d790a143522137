"""Reading an item, as custody: its page opened ("viewed") and its original's bytes taken
("downloaded"). Both are custody entries (hash-chained on the item and in the audit log), so
the chain answers "who saw or took this file, and when" as a court's registry would ask.

A download is recorded when the original is opened for sending, before the first byte leaves:
a transfer the client breaks off is still in the chain (the bytes may have left), never a
download that the chain does not show.
"""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Item
from justicework.evidence.storage.originals import open_original

E = CustodyEntry.Event
#: how an item was read or its original left the instance (custody detail ``channel``)
CHANNELS = ("web", "api")


def record_view(actor: User, item: Item, *, channel: str = "web") -> CustodyEntry:
    """``actor`` opened ``item`` (its page, or its API detail): custody entry "viewed" with the
    original's SHA-256 and the ``channel`` (the page and the API detail show hashes, the
    collection record and the custody log)."""
    if channel not in CHANNELS:
        raise ValueError(_("Unknown channel: %(channel)s") % {"channel": channel})
    policy.require(actor, "view", item)
    return append_custody(
        actor, item, E.VIEWED, {"sha256": item.original.sha256, "channel": channel}
    )


def download_original(actor: User, item: Item, *, channel: str) -> IO[bytes]:
    """The original's plaintext (decrypted when sealed, on either backend), opened for
    ``actor`` to take away: allowed by the policy (``download``: not for a tombstone), recorded
    as custody entry "downloaded" with its SHA-256, size and ``channel``. The caller closes the
    stream. ``FileNotFoundError`` (nothing recorded) when the file is missing from the store."""
    if channel not in CHANNELS:
        raise ValueError(_("Unknown download channel: %(channel)s") % {"channel": channel})
    policy.require(actor, "download", item)
    original = item.original
    stream = open_original(original)
    try:
        append_custody(actor, item, E.DOWNLOADED, {
            "sha256": original.sha256, "size": original.size, "channel": channel,
        })  # fmt: skip
    except BaseException:
        stream.close()
        raise
    return stream
