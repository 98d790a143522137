from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "justicework.search"
    label = "search"
