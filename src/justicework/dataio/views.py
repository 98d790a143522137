"""Import pages (upload → mapping → check → import with a progress bar) and export downloads.

Everything works in the user's *active* organisation. Runs and mappings are fetched through
``policy.get_or_404`` (IMPORT capability); exports through ``actions.start_export`` (EXPORT
capability, audited, identities redacted without need-to-know).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy, uses, warnings
from justicework.core.actors import signed_in
from justicework.core.models import Organisation
from justicework.core.uses import declares
from justicework.dataio import actions, export, readers
from justicework.dataio import schema as schemas
from justicework.dataio.forms import ChooseMappingForm, MappingForm, UploadForm
from justicework.dataio.models import ImportRun, Mapping, RowError
from justicework.dataio.views_changes import changes_context

SHOWN_ERRORS = 200


def _organisation(request: HttpRequest, action: str) -> Organisation:
    """The active organisation, if the policy allows ``action`` ("import", "export") on it;
    404 otherwise."""
    membership: Any = getattr(request, "membership", None)
    if membership is None or not policy.can(request.user, action, membership.organisation):
        raise Http404
    organisation: Organisation = membership.organisation
    return organisation


def _kind(kind: str, *, export: bool = False) -> schemas.Schema:
    """The schema of ``kind`` (with ``export``: one whose records can be exported); 404
    otherwise."""
    try:
        schema = schemas.get(kind)
    except LookupError:
        raise Http404 from None
    if export and not schema.exports():
        raise Http404
    return schema


def _mappings(request: HttpRequest, organisation: Organisation, kind: str) -> Any:
    return policy.visible(request.user, Mapping, "use").filter(organisation=organisation, kind=kind)


@require_GET
@login_required
def index(request: HttpRequest, kind: str) -> HttpResponse:
    schema = _kind(kind)
    organisation = _organisation(request, "import")
    actions.fail_stale_runs(organisation)  # runs whose process was killed: failed, resumable
    runs = (
        policy.visible(request.user, ImportRun, "view")
        .filter(organisation=organisation, kind=kind)
        .select_related("mapping", "created_by")[:20]
    )
    mappings = _mappings(request, organisation, kind)
    return render(
        request,
        "dataio/index.html",
        {
            "schema": schema,
            "kind": kind,
            "runs": runs,
            "mappings": mappings,
            "shipped": sorted(schema.shipped_mappings()),
            "form": UploadForm(mappings=mappings),
        },
    )


@require_POST
@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    _kind(kind)
    organisation = _organisation(request, "import")
    mappings = _mappings(request, organisation, kind)
    form = UploadForm(request.POST, request.FILES, mappings=mappings)
    if not form.is_valid():
        return render(
            request,
            "dataio/index.html",
            {"schema": _kind(kind), "kind": kind, "runs": [], "mappings": mappings, "form": form},
            status=422,
        )
    uploaded = form.cleaned_data["file"]
    try:
        run = actions.start_run(
            signed_in(request),
            organisation,
            kind=kind,
            file_format=form.cleaned_data["file_format"],
            filename=uploaded.name or "upload",
            chunks=uploaded.chunks(),
            mapping=form.cleaned_data["mapping"],
            mode=form.cleaned_data["mode"],
        )
    except readers.FileProblem as exc:
        form.add_error("file", exc.reason)
        return render(
            request,
            "dataio/index.html",
            {"schema": _kind(kind), "kind": kind, "runs": [], "mappings": mappings, "form": form},
            status=422,
        )
    return redirect("dataio:run", pk=run.pk)


@require_GET
@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = policy.get_or_404(
        request.user, ImportRun.objects.select_related("mapping", "organisation"), "view", pk=pk
    )
    running = {ImportRun.Status.VALIDATING, ImportRun.Status.COMMITTING}
    if run.status in running and actions.fail_stale_runs(run.organisation):
        run.refresh_from_db()
    mappings = _mappings(request, run.organisation, run.kind)
    form = ChooseMappingForm(
        mappings=mappings, initial={"mapping": run.mapping_id, "mode": run.mode}
    )
    errors = RowError.objects.filter(run=run)[:SHOWN_ERRORS]
    flags, flags_template = _flags(request, run)
    progress = None
    if run.progress_id:
        from justicework.tasks.models import Progress

        progress = policy.visible(request.user, Progress, "view").filter(pk=run.progress_id).first()
    return render(
        request,
        "dataio/run.html",
        {
            "run": run,
            "form": form,
            "errors": errors,
            "flags": flags,
            "flags_template": flags_template,
            "shown_errors": SHOWN_ERRORS,
            "progress": progress,
            "can_commit": run.status in {ImportRun.Status.VALID, ImportRun.Status.FAILED},
            "commit_blocked": _commit_blocked(run),
            **changes_context(request, run),
        },
    )


def _flags(request: HttpRequest, run: ImportRun) -> tuple[list[Any], str]:
    """The dry run's notes on the run's rows (likely duplicates), as the user may see them,
    and the template that shows them."""
    try:
        schema = schemas.get(run.kind)
    except LookupError:  # a kind no longer registered: its run page still opens
        return [], ""
    return schema.flag_items(request.user, run), schema.flags_template


def _commit_blocked(run: ImportRun) -> str:
    """Why the import button is disabled, said beside it ("" when it is enabled)."""
    status = ImportRun.Status
    reasons: dict[str, str] = {
        status.UPLOADED: _(
            "Check the file first (step 2): the import is possible once the check finds no problem."
        ),
        status.VALIDATING: _(
            "The file is being checked: the import is possible once the check finds no problem."
        ),
        status.INVALID: _(
            "The check found problems (listed below): correct the file or the mapping, "
            "upload it again and check it."
        ),
        status.COMMITTING: _("The rows are being imported."),
    }
    return str(reasons.get(run.status, ""))


@require_POST
@login_required
def run_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = policy.get_or_404(request.user, ImportRun, "edit", pk=pk)
    form = ChooseMappingForm(request.POST, mappings=_mappings(request, run.organisation, run.kind))
    if form.is_valid():
        try:
            actions.choose_mapping(
                signed_in(request), run, form.cleaned_data["mapping"], form.cleaned_data["mode"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a mapping."))
    return redirect("dataio:run", pk=run.pk)


@require_POST
@login_required
def run_start(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    run = policy.get_or_404(
        request.user, ImportRun, "commit" if phase == "commit" else "edit", pk=pk
    )
    try:
        actions.schedule(signed_in(request), run, phase)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("dataio:run", pk=run.pk)


@require_http_methods(["GET", "POST"])
@login_required
def mapping_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    schema = _kind(kind)
    organisation = _organisation(request, "import")
    mapping = None
    if pk is not None:
        mapping = policy.get_or_404(request.user, Mapping.objects.filter(kind=kind), "edit", pk=pk)
        organisation = mapping.organisation
    if request.method == "POST":
        form = MappingForm(request.POST)
        if form.is_valid():
            try:
                saved = actions.save_mapping(
                    signed_in(request),
                    organisation,
                    kind=kind,
                    name=mapping.name if mapping else form.cleaned_data["name"],
                    file_format=form.cleaned_data["file_format"],
                    spec=form.cleaned_data["spec"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Mapping “%(name)s” saved.") % {"name": saved.name})
                return redirect("dataio:index", kind=kind)
        status = 422
    else:
        initial: dict[str, Any] = {"file_format": "csv", "spec": json.dumps(
            {"fields": {f.name: "" for f in schema.fields if f.required}, "key": []}, indent=2
        )}  # fmt: skip
        if mapping is not None:
            initial = {
                "name": mapping.name,
                "file_format": mapping.file_format,
                "spec": json.dumps(mapping.spec, indent=2, ensure_ascii=False),
            }
        form = MappingForm(initial=initial)
        status = 200
    return render(
        request,
        "dataio/mapping_form.html",
        {"form": form, "mapping": mapping, "schema": schema, "kind": kind},
        status=status,
    )


@require_POST
@login_required
def mapping_install(request: HttpRequest, kind: str) -> HttpResponse:
    """Add a mapping that ships with the app (e.g. ``justicework-export``) to the active
    organisation's mappings, where the upload form lists it."""
    _kind(kind)
    organisation = _organisation(request, "import")
    name = request.POST.get("name", "")
    try:
        saved = actions.install_shipped_mapping(
            signed_in(request), organisation, kind=kind, name=name
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Mapping “%(name)s” added: choose it when you upload a file.") % {"name": saved.name},
        )
    return redirect("dataio:index", kind=kind)


@require_POST
@login_required
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = policy.get_or_404(request.user, Mapping, "delete", pk=pk)
    kind = mapping.kind
    actions.delete_mapping(signed_in(request), mapping)
    messages.success(request, _("Mapping deleted."))
    return redirect("dataio:index", kind=kind)


@require_GET
@login_required
@declares("dataio.export")
def export_page(request: HttpRequest, kind: str) -> HttpResponse:
    schema = _kind(kind, export=True)
    organisation = _organisation(request, "export")
    context: dict[str, Any] = {"schema": schema, "kind": kind, "formats": export.FORMATS}
    # the safety warning: survivors among the persons this selection exports (read as the
    # export's rows are, under its use)
    with uses.using(schema.export_use or "dataio.export"):
        try:
            chosen = schema.export_person_ids(signed_in(request), organisation, request.GET.dict())
        except ValidationError:  # a bad filter: the download says which
            chosen = None
        if chosen is not None:
            context["safety_warnings"] = warnings.for_persons(request.user, chosen)
            # who the file leaves out, and the consent missing (core.uses, the gate)
            context["held_back"] = schema.export_held_back(
                signed_in(request), organisation, request.GET.dict()
            )
    # The list's filters travel to the download links; the download validates them.
    context["query_string"] = request.GET.urlencode()
    return render(request, "dataio/export.html", context)


@require_GET
@login_required
@declares("dataio.export")
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    _kind(kind, export=True)
    if fmt not in export.FORMATS:
        raise Http404
    organisation = _organisation(request, "export")
    try:
        header, rows = actions.start_export(
            signed_in(request), organisation, kind=kind, file_format=fmt, filters=request.GET.dict()
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:  # a bad filter in the query string
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    filename = f"{kind}-{organisation.slug}-{stamp}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            export.xlsx_file(header, rows),
            as_attachment=True,
            filename=filename,
            content_type=export.CONTENT_TYPES["xlsx"],
        )
    chunks = export.csv_lines(header, rows) if fmt == "csv" else export.json_chunks(header, rows)
    response = StreamingHttpResponse(chunks, content_type=export.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
