"""Forms of the call pages. They shape input (pickers for countries, categories, legal forms;
one field per language for texts; the call's dates in its own time zone); the rules themselves
live in ``grants.call_checks`` and the actions report against these fields' names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from justicework.core.countries import country_choices
from justicework.grants.legal_forms import LegalForm
from justicework.grants.models import Call, Criterion, Question, RecipientCategory

HELP_SEVERAL = _("Tick every one that applies; none ticked means any.")


def zone_choices() -> list[tuple[str, str]]:
    import zoneinfo

    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class TextsMixin:
    """A text in several languages as one field per UI language, ``<name>_<code>``."""

    texts: tuple[tuple[str, Any, bool], ...] = ()
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_text_fields(self, initial: dict[str, dict[str, str]]) -> None:
        for name, label, long in self.texts:
            for code, language in settings.LANGUAGES:
                widget = forms.Textarea(attrs={"rows": 4, "lang": code}) if long else None
                field = forms.CharField(
                    label=f"{label} ({language})", required=False, widget=widget, strip=True
                )
                if widget is None:
                    field.widget.attrs["lang"] = code
                field.initial = (initial.get(name) or {}).get(code, "")
                self.fields[f"{name}_{code}"] = field

    def text_groups(self) -> list[tuple[Any, list[Any]]]:
        """(label, bound fields) per text, for the template."""
        bound: Any = self
        return [
            (label, [bound[f"{name}_{code}"] for code, _lang in settings.LANGUAGES])
            for name, label, _long in self.texts
        ]

    def plain_fields(self) -> list[Any]:
        """The bound fields that are not texts in several languages, for the template."""
        names = {f"{name}_{code}" for name, _l, _g in self.texts for code, _n in settings.LANGUAGES}
        bound: Any = self
        return [bound[name] for name in self.fields if name not in names]

    def text_value(self, name: str) -> dict[str, str]:
        return {
            code: value
            for code, _lang in settings.LANGUAGES
            if (value := self.cleaned_data.get(f"{name}_{code}", ""))
        }


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="EUR")
    cap_per_recipient = forms.DecimalField(
        label=_("Maximum per third party"), max_digits=14, decimal_places=2, initial="60000"
    )
    cap_justification = forms.CharField(
        label=_("Justification of a higher maximum"), widget=forms.Textarea, required=False
    )
    retention_years = forms.IntegerField(label=_("Years records are kept"), min_value=1, initial=5)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


def activity_rows(data: QueryDict | None, call: Call | None) -> list[dict[str, Any]]:
    """The activity-type rows to show: the posted ones, else the call's, and two empty rows."""
    if data is not None:
        rows = parse_activity_rows(data)
    else:
        rows = list(call.activity_types) if call else []
    return [*rows, {"code": "", "title": {}}, {"code": "", "title": {}}]


def parse_activity_rows(data: QueryDict) -> list[dict[str, Any]]:
    codes = data.getlist("activity_code")
    titles = {code: data.getlist(f"activity_title_{code}") for code, _l in settings.LANGUAGES}
    rows = []
    for index, code in enumerate(codes):
        title = {
            lang: values[index].strip()
            for lang, values in titles.items()
            if index < len(values) and values[index].strip()
        }
        if code.strip() or title:
            rows.append({"code": code.strip().lower(), "title": title})
    return rows


class CallForm(TextsMixin, forms.Form):
    texts = (("title", _("Title"), False), ("text", _("Call text"), True))

    reference = forms.CharField(
        label=_("Reference"), max_length=40, required=False, help_text=_("Made up if left empty.")
    )
    countries = forms.MultipleChoiceField(
        label=_("Eligible countries"), required=False, help_text=HELP_SEVERAL
    )
    recipient_categories = forms.MultipleChoiceField(
        label=_("Eligible recipient categories"),
        choices=RecipientCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=HELP_SEVERAL,
    )
    legal_forms = forms.MultipleChoiceField(
        label=_("Eligible legal forms"),
        choices=LegalForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=HELP_SEVERAL,
    )
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3)
    budget = forms.DecimalField(label=_("Budget of the call"), max_digits=14, decimal_places=2)
    amount_min = forms.DecimalField(label=_("Minimum amount"), max_digits=14, decimal_places=2)
    amount_max = forms.DecimalField(label=_("Maximum amount"), max_digits=14, decimal_places=2)
    amount_method = forms.ChoiceField(
        label=_("How the amount is calculated"), choices=Call.AmountMethod.choices
    )
    amount_note = forms.CharField(label=_("Amount rules"), widget=forms.Textarea, required=False)
    cap_per_recipient = forms.DecimalField(
        label=_("Maximum per third party"), max_digits=14, decimal_places=2
    )
    cap_justification = forms.CharField(
        label=_("Justification of a higher maximum"), widget=forms.Textarea, required=False
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the dates"))
    opens_at = forms.DateTimeField(
        label=_("Opens (in the call's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (in the call's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    publication_links = forms.CharField(
        label=_("Publication links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One web address a line."),
    )
    blind_review = forms.BooleanField(label=_("Reviewers do not see the applicant"), required=False)
    reviews_per_application = forms.IntegerField(
        label=_("Reviews per application"), min_value=1, initial=3
    )
    one_proposal_per_applicant = forms.BooleanField(
        label=_("One proposal per applicant"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Why (shown to applicants)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.add_text_fields({"title": call.title, "text": call.text} if call else {})
        countries: Any = self.fields["countries"]
        countries.choices = country_choices()
        zone: Any = self.fields["time_zone"]
        zone.choices = zone_choices()
        if call is None or call.status == Call.Status.DRAFT:
            del self.fields["note"]

    def values(self, data: QueryDict) -> dict[str, Any]:
        """The action's keyword arguments from the cleaned form and the activity rows."""
        values = {k: v for k, v in self.cleaned_data.items() if k in CALL_KEYS}
        values["title"] = self.text_value("title")
        values["text"] = self.text_value("text")
        links = str(self.cleaned_data.get("publication_links") or "")
        values["publication_links"] = [line.strip() for line in links.splitlines() if line.strip()]
        values["activity_types"] = parse_activity_rows(data)
        for name in ("opens_at", "closes_at"):  # read in the call's zone by the action
            values[name] = values[name].replace(tzinfo=None)
        values["currency"] = str(values["currency"]).upper()
        if not values.get("reference"):
            values.pop("reference", None)
        return values


CALL_KEYS = {
    "reference", "countries", "recipient_categories", "legal_forms", "currency", "budget",
    "amount_min", "amount_max", "amount_method", "amount_note", "cap_per_recipient",
    "cap_justification", "time_zone", "opens_at", "closes_at", "blind_review",
    "reviews_per_application", "one_proposal_per_applicant",
}  # fmt: skip


def call_initial(call: Call) -> dict[str, Any]:
    import zoneinfo

    zone = zoneinfo.ZoneInfo(call.time_zone)
    initial = {name: getattr(call, name) for name in CALL_KEYS}
    initial["opens_at"] = call.opens_at.astimezone(zone).replace(tzinfo=None)
    initial["closes_at"] = call.closes_at.astimezone(zone).replace(tzinfo=None)
    initial["publication_links"] = "\n".join(call.publication_links)
    return initial


class CriterionForm(TextsMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    texts = (("title", _("Title"), False), ("guidance", _("Guidance"), True))
    note = forms.CharField(label=_("Why (shown to applicants)"), required=False)

    class Meta:
        model = Criterion
        fields = ("code", "kind", "priority", "weight", "min_score", "max_score", "threshold")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_text_fields({"title": self.instance.title, "guidance": self.instance.guidance})

    def _post_clean(self) -> None:  # the action validates the row, against the whole call
        pass

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            **values,
            "title": self.text_value("title"),
            "guidance": self.text_value("guidance"),
        }


class QuestionForm(TextsMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    texts = (
        ("prompt", _("Question"), False),
        ("section", _("Section"), False),
        ("help_text", _("Help"), True),
    )
    choice_lines = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For “one of a list”: one choice a line, as code: title."),
    )
    note = forms.CharField(label=_("Why (shown to applicants)"), required=False)

    class Meta:
        model = Question
        fields = ("code", "kind", "required", "max_length")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.instance
        self.add_text_fields(
            {"prompt": item.prompt, "section": item.section, "help_text": item.help_text}
        )
        self.fields["choice_lines"].initial = "\n".join(
            f"{c.get('code', '')}: {next(iter(c.get('title', {}).values()), '')}"
            for c in item.choices or []
        )

    def _post_clean(self) -> None:  # the action validates the row, against the whole call
        pass

    def clean_choice_lines(self) -> list[dict[str, Any]]:
        choices = []
        for line in str(self.cleaned_data.get("choice_lines") or "").splitlines():
            if not line.strip():
                continue
            code, sep, title = line.partition(":")
            if not sep or not title.strip():
                raise ValidationError(_("Write each choice as code: title."))
            choices.append({"code": code.strip().lower(), "title": {"en": title.strip()}})
        return choices

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        texts = {name: self.text_value(name) for name in ("prompt", "section", "help_text")}
        return {**values, **texts, "choices": self.cleaned_data["choice_lines"]}


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AnswerForm(TextsMixin, forms.Form):
    texts = (("question", _("Question as published"), True), ("answer", _("Answer"), True))
    publish = forms.BooleanField(
        label=_("Publish to every applicant"), required=False, initial=True
    )

    def __init__(self, *args: Any, entry: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_text_fields({"question": entry.question, "answer": entry.answer})


class RegistrationForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    legal_name = forms.CharField(label=_("Legal name of the organisation"), max_length=300)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    country = forms.ChoiceField(label=_("Country of registration"))
    registration_number = forms.CharField(label=_("Registration number"), max_length=80)
    categories = forms.MultipleChoiceField(
        label=_("What describes the organisation"),
        choices=RecipientCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: Any = self.fields["country"]
        country.choices = country_choices(blank="—")
