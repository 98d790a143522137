from django.contrib import admin
from django.urls import include, path

from justicework.api import urls as api_urls
from justicework.core import uses
from justicework.core.uses import declare_urls
from justicework.evidence.views import key as evidence_key
from justicework.web import views as web_views

urlpatterns = [
    *declare_urls(
        uses.NO_PERSON_DATA.name,
        [
            path("healthz", web_views.healthz, name="healthz"),
            path(
                ".well-known/justicework/evidence-key",
                evidence_key.evidence_key,
                name="evidence_public_key",
            ),
        ],
    ),
    path("accounts/", include("allauth.urls")),
    path("api/v1/evidence/", include("justicework.evidence.tus_urls")),
    path("api/v1/", api_urls.api.urls),
    path("account/", include("justicework.core.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tasks/", include("justicework.tasks.urls")),
    path("data/", include("justicework.dataio.urls")),
    path("evidence/", include("justicework.evidence.urls")),
    path("survivors/", include("justicework.survivors.urls")),
    path("law/", include("justicework.law.urls")),
    path("grants/", include("justicework.grants.urls")),
    path("s/", include("justicework.survivors.urls_page")),
    path("", include("justicework.violations.urls")),
    path("", include("justicework.web.urls")),
]
