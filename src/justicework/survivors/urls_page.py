"""The survivor page (``views.page_public``), mounted at a neutral address (``/s/``) so a
phone's history does not say what it is. Its one use needs no consent beyond being the
survivor (``survivors.own_view``)."""

from django.urls import path

from justicework.core.uses import declare_urls
from justicework.survivors.views import page_public

app_name = "survivor_page"

urlpatterns = declare_urls(
    "survivors.own_view",
    [
        path("", page_public.enter, name="enter"),
        path("me", page_public.home, name="home"),
        path("withdraw", page_public.withdraw, name="withdraw"),
        path("leave", page_public.leave, name="leave"),
    ],
)
