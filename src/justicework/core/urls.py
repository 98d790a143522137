from django.urls import path

from justicework.core import views

app_name = "core"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
]
