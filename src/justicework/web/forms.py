"""Forms of the web shell: they validate input; the writes happen in core.actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.core.countries import country_choices
from justicework.core.models import Organisation
from justicework.core.roles import Role


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name if left empty."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries of work"),
        choices=country_choices,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )


class OrganisationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries of work"),
        choices=country_choices,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("Used only when the person has no account yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
