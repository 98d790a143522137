import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justicework.settings")
application = get_wsgi_application()

# A wrong or lost master key stops the server here with a clear error, never garbage later.
from justicework.encryption.startup import check_at_start  # noqa: E402

check_at_start()
