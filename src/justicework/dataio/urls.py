from django.urls import path

from justicework.core.uses import declare_urls
from justicework.dataio import views, views_builder, views_changes

app_name = "dataio"

urlpatterns = declare_urls(
    "dataio.import",
    [
        path("import/<slug:kind>/", views.index, name="index"),
        path("import/<slug:kind>/upload", views.upload, name="upload"),
        path("import/<slug:kind>/mappings/new", views.mapping_edit, name="mapping_new"),
        path("import/<slug:kind>/mappings/shipped", views.mapping_install, name="mapping_install"),
        path("import/<slug:kind>/mappings/<int:pk>/", views.mapping_edit, name="mapping_edit"),
        path("mappings/<int:pk>/delete", views.mapping_delete, name="mapping_delete"),
        path("runs/<int:pk>/", views.run_detail, name="run"),
        path("runs/<int:pk>/mapping", views.run_mapping, name="run_mapping"),
        path("runs/<int:pk>/mapping/build", views_builder.run_builder, name="run_builder"),
        path("runs/<int:pk>/check", views.run_start, {"phase": "check"}, name="run_check"),
        path("runs/<int:pk>/commit", views.run_start, {"phase": "commit"}, name="run_commit"),
        path("runs/<int:pk>/changes", views_changes.run_changes, name="run_changes"),
        path("export/<slug:kind>/", views.export_page, name="export"),
        path("export/<slug:kind>/<slug:fmt>", views.export_download, name="export_download"),
    ],
)
