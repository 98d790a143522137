from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "justicework.demo"
    label = "demo"
