from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "justicework.web"
    label = "web"
