"""``justicework import violations FILE --mapping NAME --organisation SLUG --as EMAIL``

(add ``--dry-run`` to check every row and write nothing)."""

from justicework.dataio.commands import ImportCommand


class Command(ImportCommand):
    pass
