from django.urls import path

from justicework.core.uses import declare_urls
from justicework.evidence.views import (
    captures,
    custody,
    derivatives,
    items,
    links,
    packages,
    removals,
    upload,
    verification,
)

app_name = "evidence"

urlpatterns = declare_urls(
    "evidence.records",
    [
        path("items/", items.item_list, name="item_list"),
        path("items/<int:pk>/", items.item_detail, name="item_detail"),
        path(
            "items/<int:pk>/derivatives/<str:kind>",
            derivatives.derivative_file,
            name="derivative_file",
        ),
        path("items/<int:pk>/stripped-copy", derivatives.stripped_download, name="stripped_copy"),
        path("items/<int:pk>/graphic", derivatives.item_graphic, name="item_graphic"),
        path("items/<int:pk>/original", custody.original_download, name="original_download"),
        path("items/<int:pk>/copy/", custody.item_copy, name="item_copy"),
        path("items/<int:pk>/transfers/", custody.transfer_create, name="transfer_create"),
        path("items/<int:pk>/links/lookup/", links.link_lookup, name="link_lookup"),
        path("items/<int:pk>/links/", links.link_create, name="link_create"),
        path("items/<int:pk>/links/<int:link_pk>/remove/", links.link_remove, name="link_remove"),
        path("items/<int:pk>/findings/", verification.finding_create, name="finding_create"),
        path("items/<int:pk>/status/", verification.status_change, name="status_change"),
        path("settings/", verification.vault_settings, name="vault_settings"),
        path("upload/", upload.upload_page, name="upload"),
        path("items/<int:pk>/removal/", removals.removal_request, name="removal_request"),
        path("removals/", removals.removal_list, name="removal_list"),
        path("removals/<int:pk>/", removals.removal_detail, name="removal_detail"),
        path("removals/<int:pk>/decide", removals.removal_decide, name="removal_decide"),
        path("capture/", captures.capture_page, name="capture"),
        path("captures/<uuid:pk>/", captures.capture_detail, name="capture_detail"),
        path("packages/", packages.package_create, name="package_create"),
        path("searches/", packages.search_save, name="search_save"),
        path("searches/<int:pk>/delete/", packages.search_delete, name="search_delete"),
        path("packages/<uuid:pk>/", packages.package_detail, name="package_detail"),
        path("packages/<uuid:pk>/download", packages.package_download, name="package_download"),
    ],
)
