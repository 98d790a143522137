from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "justicework.tasks"
    label = "jw_tasks"
