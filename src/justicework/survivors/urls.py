from django.urls import path

from justicework.core.uses import declare_urls
from justicework.survivors.views import consent

app_name = "survivors"

urlpatterns = declare_urls(
    "survivors.consent",
    [
        path("persons/<int:pk>/consent/", consent.consent_page, name="consent"),
        path("persons/<int:pk>/consent/open", consent.file_open, name="file_open"),
        path("persons/<int:pk>/consent/record", consent.consent_record, name="consent_record"),
        path(
            "persons/<int:pk>/consent/withdraw", consent.consent_withdraw, name="consent_withdraw"
        ),
    ],
)
