"""The tus endpoint, mounted at ``/api/v1/evidence/`` beside the ninja API (``urls.py`` of the
project), so API clients find it under the API and the MFA middleware leaves it to the API's
own session check."""

from django.urls import path

from justicework.core.uses import declare_urls
from justicework.evidence.intake import tus

app_name = "evidence_tus"

urlpatterns = declare_urls(
    "evidence.records",
    [
        path("uploads/", tus.uploads, name="uploads"),
        path("uploads/<uuid:upload_id>", tus.upload, name="upload"),
    ],
)
