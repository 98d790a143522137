from django.urls import path

from justicework.evidence.views import items, upload

app_name = "evidence"

urlpatterns = [
    path("items/", items.item_list, name="item_list"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("upload/", upload.upload_page, name="upload"),
]
