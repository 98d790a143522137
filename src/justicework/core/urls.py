from django.urls import path

from justicework.core import views
from justicework.core.uses import declare_urls

app_name = "core"

urlpatterns = declare_urls(
    "none",
    [
        path("", views.account, name="account"),
        path("tokens/", views.tokens, name="tokens"),
        path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
        path("organisation/", views.switch_organisation, name="switch_organisation"),
    ],
)
