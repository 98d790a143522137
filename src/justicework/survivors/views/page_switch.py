"""The organisation's survivor page switch, for its admins (``manage_survivor_page``): off by
default; on, support coordinators may issue codes; off again, no code opens the page. Reads no
person data (the use ``none``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.core.models import Organisation
from justicework.survivors import actions, page_codes


class SwitchForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label=gettext_lazy("Survivor page"),
        choices=[("on", gettext_lazy("On")), ("off", gettext_lazy("Off"))],
        coerce=lambda value: value == "on",
    )


def _organisation(request: HttpRequest) -> Organisation:
    """The active organisation, if the user may switch its survivor page (404 otherwise)."""
    membership = getattr(request, "membership", None)
    if membership is None or not policy.can(
        request.user, "manage_survivor_page", membership.organisation
    ):
        raise Http404
    organisation: Organisation = membership.organisation
    return organisation


@require_http_methods(["GET", "POST"])
@login_required
def page_switch(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = SwitchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["enabled"]
        actions.set_survivor_page(signed_in(request), organisation, enabled)
        messages.success(
            request, _("The survivor page is on.") if enabled else _("The survivor page is off.")
        )
        return redirect("survivors:page_switch")
    context = {
        "form": form,
        "organisation": organisation,
        "page_on": page_codes.page_on(organisation.pk),
        "instance_on": bool(settings.SURVIVORS_PAGE),
    }
    return render(
        request, "survivors/page_switch.html", context, status=422 if form.errors else 200
    )
