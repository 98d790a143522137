from django.urls import path

from justicework.evidence.views import captures, items, packages, upload

app_name = "evidence"

urlpatterns = [
    path("items/", items.item_list, name="item_list"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("upload/", upload.upload_page, name="upload"),
    path("capture/", captures.capture_page, name="capture"),
    path("captures/<uuid:pk>/", captures.capture_detail, name="capture_detail"),
    path("packages/", packages.package_create, name="package_create"),
    path("packages/<uuid:pk>/", packages.package_detail, name="package_detail"),
    path("packages/<uuid:pk>/download", packages.package_download, name="package_download"),
]
