"""The mapping builder page of an uploaded file (an import run): the file's columns with sample
values, a column, a constant or a template for each target field, the recoding of vocabulary
values; saving runs every check of the mapping (all problems at once) and saves it through
``actions.save_mapping``, then chooses it for the run (``actions.choose_mapping``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.dataio import actions
from justicework.dataio import schema as schemas
from justicework.dataio.builder import BuilderForm, column_samples, posted_values, target_rows
from justicework.dataio.builder_spec import initial_from_spec, spec_from_post
from justicework.dataio.errors import FileProblem
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.mapping_checks import check_mapping
from justicework.dataio.models import FileFormat, ImportRun
from justicework.dataio.profile import FileProfile, profile_file
from justicework.dataio.runs import file_intact


def _read_options(data: Any) -> MappingSpec:
    """The file options to read the upload with (the rest of the spec is irrelevant here)."""
    delimiter = str(data.get("delimiter") or ",")
    return MappingSpec(
        fields={},
        encoding=str(data.get("encoding") or "utf-8").strip(),
        delimiter=delimiter if len(delimiter) == 1 else ",",
        sheet=str(data.get("sheet") or "").strip() or None,
        repeat=str(data.get("repeat") or "").strip() or None,
    )


def _profile(run: ImportRun, options: MappingSpec, problems: list[str]) -> FileProfile:
    try:
        return profile_file(Path(run.stored_path), run.file_format, options)
    except FileProblem as exc:
        problems.append(exc.reason)
        return FileProfile(columns=[])


def _with_saved_values(
    run: ImportRun, posted: dict[str, dict[str, str]], data: Any
) -> dict[str, dict[str, str]]:
    """The posted recoding, plus the run's saved recoding of values the page did not show (a
    column with more distinct values than the builder lists) while the column is unchanged."""
    initial, saved = initial_from_spec(run.mapping.spec if run.mapping else {})
    for name, values in saved.items():
        if data.get(f"{name}__column") != initial.get(f"{name}__column"):
            continue
        shown = posted.setdefault(name, {})
        for value, term in values.items():
            shown.setdefault(value, term)
    return posted


@require_http_methods(["GET", "POST"])
@login_required
def run_builder(request: HttpRequest, pk: int) -> HttpResponse:
    run = policy.get_or_404(
        request.user, ImportRun.objects.select_related("mapping", "organisation"), "edit", pk=pk
    )
    try:
        schema = schemas.get(run.kind)
    except LookupError:
        raise Http404 from None
    if run.status in {ImportRun.Status.COMMITTING, ImportRun.Status.COMMITTED} or not (
        file_intact(run)
    ):
        messages.error(request, _("This file can no longer be mapped: upload it again."))
        return redirect("dataio:run", pk=run.pk)
    problems: list[str] = []
    if request.method == "POST":
        values = _with_saved_values(run, posted_values(request.POST, schema), request.POST)
        profile = _profile(run, _read_options(request.POST), problems)
        form = BuilderForm(
            request.POST, schema=schema, profile=profile, file_format=run.file_format
        )
        if "save" in request.POST and not problems:
            saved = _save(request, run, form, values, problems)
            if saved is not None:
                return saved
    else:
        initial, values = initial_from_spec(run.mapping.spec if run.mapping else {})
        if run.mapping is not None:
            initial["name"] = run.mapping.name
        profile = _profile(run, _read_options(initial), problems)
        form = BuilderForm(initial=initial, schema=schema, profile=profile,
                           file_format=run.file_format)  # fmt: skip
    values_shown = request.method == "POST" and run.created_by_id == request.user.pk
    if values_shown:
        actions.record_values_shown(signed_in(request), run)
    else:
        form.profile = profile = profile.without_values()
    context = {"run": run, "schema": schema, "form": form, "profile": profile,
               "values_shown": values_shown,
               "rows": target_rows(form, values), "problems": problems,
               "samples": column_samples(profile)}  # fmt: skip
    status = 422 if problems and request.method == "POST" else 200
    return render(request, "dataio/mapping_builder.html", context, status=status)


def _save(
    request: HttpRequest,
    run: ImportRun,
    form: BuilderForm,
    values: dict[str, dict[str, str]],
    problems: list[str],
) -> HttpResponse | None:
    """Check everything, save the mapping and choose it for the run; ``None`` (with
    ``problems`` filled) when something is wrong, and then nothing is saved."""
    spec, problems_of_form = spec_from_post(request.POST, form.schema, values)
    problems.extend(problems_of_form)
    name = str(request.POST.get("name", "")).strip()
    if not name:
        problems.append(_("Give the mapping a name."))
    columns = form.profile.columns
    kobo = run.file_format == FileFormat.KOBO
    try:
        check_mapping(spec, schemas.get(run.kind), columns=columns, kobo=kobo)
    except MappingError as exc:
        problems.extend(exc.problems)
    if problems:
        return None
    actor = signed_in(request)
    try:
        with transaction.atomic():
            mapping = actions.save_mapping(
                actor, run.organisation, kind=run.kind, name=name, file_format=run.file_format,
                spec=spec, columns=columns,
            )  # fmt: skip
            actions.choose_mapping(actor, run, mapping, run.mode)
    except ValidationError as exc:
        problems.extend(exc.messages)
        return None
    except PermissionDenied as exc:
        problems.append(str(exc) or _("Your role does not allow changing this mapping."))
        return None
    messages.success(
        request, _("Mapping “%(name)s” saved and chosen for this file.") % {"name": mapping.name}
    )
    return redirect("dataio:run", pk=run.pk)
