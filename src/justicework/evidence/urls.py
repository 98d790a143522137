from django.urls import path

from justicework.evidence.views import derivatives, items, packages, upload

app_name = "evidence"

urlpatterns = [
    path("items/", items.item_list, name="item_list"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path(
        "items/<int:pk>/derivatives/<str:kind>",
        derivatives.derivative_file,
        name="derivative_file",
    ),
    path("items/<int:pk>/stripped-copy", derivatives.stripped_download, name="stripped_copy"),
    path("items/<int:pk>/graphic", derivatives.item_graphic, name="item_graphic"),
    path("upload/", upload.upload_page, name="upload"),
    path("packages/", packages.package_create, name="package_create"),
    path("packages/<uuid:pk>/", packages.package_detail, name="package_detail"),
    path("packages/<uuid:pk>/download", packages.package_download, name="package_download"),
]
