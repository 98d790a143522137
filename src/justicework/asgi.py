import os

from justicework.encryption.filemodes import restrict_umask

restrict_umask()  # before anything is written: files 0600, directories 0700

from django.core.asgi import get_asgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justicework.settings")
application = get_asgi_application()

# A wrong or lost master key stops the server here with a clear error, never garbage later;
# a data directory open to group or others is logged as a warning.
from justicework.encryption.startup import check_at_start  # noqa: E402

check_at_start()
