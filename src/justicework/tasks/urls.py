from django.urls import path

from justicework.core.uses import declare_urls
from justicework.tasks import views

app_name = "jw_tasks"

urlpatterns = declare_urls(
    "none",
    [
        path("", views.progress_list, name="list"),
        path("<int:pk>/", views.progress_page, name="progress_page"),
        path("<int:pk>/progress", views.progress_partial, name="progress"),
    ],
)
