import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justicework.settings")
application = get_asgi_application()

# A wrong or lost master key stops the server here with a clear error, never garbage later.
from justicework.encryption.startup import check_at_start  # noqa: E402

check_at_start()
