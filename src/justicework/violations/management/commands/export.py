"""``justicework export violations --format csv|xlsx|json --organisation SLUG --as EMAIL``"""

from justicework.dataio.commands import ExportCommand


class Command(ExportCommand):
    pass
