from django.urls import path

from justicework.evidence.views import items, links, packages, upload, verification

app_name = "evidence"

urlpatterns = [
    path("items/", items.item_list, name="item_list"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/links/lookup/", links.link_lookup, name="link_lookup"),
    path("items/<int:pk>/links/", links.link_create, name="link_create"),
    path("items/<int:pk>/links/<int:link_pk>/remove/", links.link_remove, name="link_remove"),
    path("items/<int:pk>/findings/", verification.finding_create, name="finding_create"),
    path("items/<int:pk>/status/", verification.status_change, name="status_change"),
    path("settings/", verification.vault_settings, name="vault_settings"),
    path("upload/", upload.upload_page, name="upload"),
    path("packages/", packages.package_create, name="package_create"),
    path("packages/<uuid:pk>/", packages.package_detail, name="package_detail"),
    path("packages/<uuid:pk>/download", packages.package_download, name="package_download"),
]
