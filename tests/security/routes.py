"""Every route of the running URL configuration, filled with the other organisation's objects.

Web routes come from walking Django's resolver (included configurations, allauth and the admin
too); API operations from each ninja API's OpenAPI document, found in the same walk. Nothing
here lists routes by hand: what is listed is how a path parameter maps to one of beacon's
objects (``COLLECTIONS``, ``PARAMS``, ``ADMIN_MODELS``) and the few values that are not objects
(``VALUES``). An unknown parameter raises ``Unmapped``, so a new route makes the probe fail
until someone says what it names.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.admin import site as admin_site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from justicework.dataio import export
from justicework.dataio import schema as import_schemas

from .beacon import Beacon

#: the path segment before an ``<int:…>`` parameter of a web route → beacon's object
COLLECTIONS = {
    "incidents": "incident",
    "violations": "violation",
    "relations": "relation",
    "sources": "source",
    "perpetrations": "perpetration",
    "person-roles": "person_role",
    "units": "unit",
    "commanders": "command",
    "persons": "person",
    "grants": "grant",
    "identity-requests": "identity_request",
    "organisations": "organisation",
    "members": "member",
    "tokens": "token",
    "runs": "run",
    "imports": "run",  # an import run's likely duplicates (violations:import_duplicate_decide)
    "mappings": "mapping",
    "tasks": "progress",
    "keys": "authenticator",  # allauth's security keys (WebAuthn authenticators)
    "items": "evidence_item",
    "packages": "evidence_package",  # evidence:package_detail, package_download (<uuid:pk>)
    "removals": "evidence_removal",  # evidence:removal_detail, removal_decide
    "captures": "evidence_capture",  # evidence:capture_detail (<uuid:pk>)
    "links": "evidence_link",  # evidence:link_remove (<int:link_pk>)
    "searches": "evidence_search",  # evidence:search_delete
    "sheets": "information_sheet",  # survivors:sheet_print
    "interviews": "interview",  # survivors:narrative_unfold
    "hold": "legal_hold",  # survivors:legal_hold_lift (<int:hold_pk>)
    "providers": "provider",  # survivors:provider_detail, provider_edit
    "referrals": "referral",  # survivors:referral_detail, referral_status, referral_follow_up
    "plan-actions": "plan_action",  # survivors:plan_action, plan_action_done
    "reviews": "safety_assessment",  # survivors:safety_review (a reminder's link)
    "cases": "case_file",  # law: case pages (i14cases)
    "charges": "charge",  # law: a charge's matrix entries (i14cases)
    "entries": "matrix_entry",  # law: a matrix entry's removal (i14cases)
    "awards": "award",  # grants: an award's money pages (grmoney)
    "reports": "grantee_report",  # grants: a grantee's report, its review (grmoney)
    "subordinations": "subordination",  # violations: a unit's dated period (lawart28)
    "art28-records": "command_record",  # law: an art. 28 record's removal (lawart28)
    "applications": "grant_application",  # grants: the application pages (grapply)
    "dashboards": "grant_programme",  # grants: a programme's dashboard (grpublish)
    "assignments": "grant_assignment",  # grants: a reviewer's assignment page (grreview)
    "budget-lines": "grant_budget_line",  # grants: a budget line's removal (grapply)
    "attachments": "grant_attachment",  # grants: an attachment's download, removal (grapply)
    "calls": "grant_call",  # grants: applying to a call, its submitted applications
    "programmes": "grant_programme",  # grants: a programme's pages (grcalls)
}
#: an API parameter or body field name (without ``_id``/``_ids``) → beacon's object
PARAMS = {
    "org": "organisation",
    "organisation": "organisation",
    "membership": "member",
    "token": "token",
    "incident": "incident",
    "to_incident": "other_incident",
    "location": "location",
    "relation": "relation",
    "perpetration": "perpetration",
    "person": "person",
    "grant": "grant",
    "source": "source",
    "unit": "unit",
    "parent": "parent_unit",
    "command": "command",
    "group": "victim_group",
    "victim_group": "victim_group",
    "violation": "violation",
    "role": "person_role",
    "user": "user",
    "upload": "evidence_upload",  # the tus endpoint's <uuid:upload_id>
    "item": "evidence_item",
    "capture": "evidence_capture",  # the API's <capture_id>
    "link": "evidence_link",
    "sheet": "information_sheet",  # the consent API's sheet_id
    "recording": "evidence_item",  # the consent API's recording_id
    "interview": "interview",  # the interviews API's interview_id
    "plan_action": "plan_action",  # the plans API's plan_action_id
    "referral": "referral",  # the referrals API's referral_id
    "provider": "provider",  # the providers API's provider_id
    "case": "case_file",  # the law cases API's case_id (i14cases)
    "charge": "charge",  # the law cases API's charge_id (i14cases)
    "award": "award",  # the grants money API's award_id (grmoney)
    "report": "grantee_report",  # the grants money API's report_id (grmoney)
    "tranche": "tranche",  # a payment's tranche_id (grmoney)
    "budget_line": "budget_line",  # a report line's budget_line_id (grmoney)
    "subordination": "subordination",  # the units API's subordination_id (lawart28)
    "art28_record": "command_record",  # the law art. 28 API's art28_record_id (lawart28)
    "application": "grant_application",  # the grants applications API (grapply)
    "line": "grant_budget_line",  # an application's budget line (grapply)
    "call": "grant_call",  # a grants call (grapply: starting an application, staff list)
    "legal_entity": "grant_legal_entity",  # the applicant when starting one (grapply)
    "programme": "grant_programme",  # a programme's dashboard (grpublish)
    "assignment": "grant_assignment",  # a reviewer's assignment (grreview)
    "check": "grant_eligibility_check",  # an eligibility checklist item (grflow)
    "entry": "matrix_entry",  # the law cases API's entry_id (lawmatrix: PATCH an entry)
}
#: an admin page's model → beacon's object (models that belong to nobody: ``None``, with why)
ADMIN_MODELS: dict[str, str | None] = {
    "core.organisation": "organisation",
    "core.user": "user",
    "core.membership": "member",
    "core.accessgrant": "grant",
    "core.apitoken": "token",
    "account.emailaddress": "email_address",
    "mfa.authenticator": "authenticator",
    "violations.incident": "incident",
    "violations.violation": "violation",
    "violations.unit": "unit",
    "violations.victimgroup": "victim_group",
    "violations.location": "location",
    "violations.incidentrelation": "relation",
    "auth.group": None,  # permission groups are platform-wide, unused by the policy
    "django_tasks_database.dbtaskresult": None,  # task queue rows: ids and arguments only
}


def _import_kinds(b: Beacon) -> list[str]:
    return list(import_schemas.kinds())


#: parameters that name no object of an organisation: the values tried, and why
VALUES: dict[str, Callable[[Beacon], list[str]]] = {
    "kind": _import_kinds,  # an import/export kind: every registered one
    "fmt": lambda b: list(export.FORMATS),  # an export format: every one
    "key": lambda b: ["probe-key"],  # a secret of an e-mail link: a wrong one is refused
    "url": lambda b: ["probe/"],  # the admin's catch-all
    "rest": lambda b: ["probe/unknown"],  # the API's catch-all JSON 404 (api.contract)
    "row": lambda b: ["2"],  # a row number of an import's file (of beacon's run, named by pk)
    # allauth's password-reset link names beacon's admin (base 36 id); the key decides
    "uidb36": lambda b: [_base36(b["user"].pk)],
    # a narrative of an interview; the part of a charge's matrix cell (law:matrix_cell)
    "part": lambda b: ["narrative", "sexual_violence", "crime"],
    "number": lambda b: ["1"],  # an element of a charge's matrix cell: beacon's entry's
}


class Unmapped(LookupError):
    """A route parameter nobody has said how to fill: map it in this module."""


@dataclass(frozen=True)
class Route:
    """One request target: a concrete path and the method(s) to call it with."""

    label: str  # the route's name or ``METHOD /path/{param}``
    path: str
    methods: tuple[str, ...]
    targets: tuple[str, ...]  # beacon's objects the path names
    api: bool = False
    body: Any = None  # JSON body of an API operation
    query: dict[str, str] = field(default_factory=dict)
    body_targets: tuple[str, ...] = ()  # beacon's objects the body names
    admin: bool = False  # a page of Django's admin site
    ghost_path: str = ""  # the same route naming objects that do not exist


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def object_id(b: Beacon, kind: str) -> str:
    return str(b[kind].pk)


GHOST_ID = 987654321


class Ghost(Beacon):
    """Beacon's world where every object has an id nothing has: the same routes, naming
    objects that do not exist (to compare refusals with)."""

    def __init__(self, real: Beacon) -> None:
        super().__init__(objects=real.objects, markers=real.markers)

    def __getitem__(self, kind: str) -> Any:
        real = self.objects[kind]
        return real if kind == "content_type" else _GhostOf(real)


class _GhostOf:
    """An object as it is, but for its id."""

    pk = GHOST_ID

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


# --- Django's resolver ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    template: str  # the joined pattern text, ``<int:pk>`` or ``(?P<pk>…)`` for parameters
    name: str
    callback: Any
    regex: bool
    namespace: str = ""


def walk(patterns: list[Any] | None = None, prefix: str = "", ns: str = "") -> Iterator[Pattern]:
    """Every URL pattern of the resolver, included ones too, with its full text."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = str(entry.pattern)
        regex = prefix.startswith("^") or text.startswith("^")
        if isinstance(entry, URLResolver):
            inner = f"{ns}:{entry.namespace}" if ns and entry.namespace else entry.namespace or ns
            yield from walk(entry.url_patterns, prefix + text, inner or "")
        elif isinstance(entry, URLPattern):
            name = f"{ns}:{entry.name}" if ns and entry.name else entry.name or ""
            yield Pattern(prefix + text, name or prefix + text, entry.callback, regex, ns)


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


def _alternatives(body: str) -> list[str] | None:
    """``a|b|c`` of a regex group made of plain words only, else ``None``."""
    parts = body.split("|")
    return parts if all(re.fullmatch(r"[\w-]+", p) for p in parts) else None


def _param_values(
    b: Beacon, name: str, before: str, pattern: Pattern, regex_body: str = ""
) -> tuple[list[str], str | None]:
    """Values for one parameter and the beacon object they name (``None``: not an object)."""
    if regex_body and (alts := _alternatives(regex_body)):
        return alts, None
    admin = getattr(pattern.callback, "model_admin", None)
    if name == "object_id" and admin is not None:
        label = admin.model._meta.label_lower
        if label not in ADMIN_MODELS:
            raise Unmapped(f"admin model {label} of {pattern.template!r}: add it to ADMIN_MODELS")
        kind = ADMIN_MODELS[label]
        return ([object_id(b, kind)], kind) if kind else (["1"], None)
    if name == "content_type_id":
        return [str(b["content_type"].pk)], None
    if name == "object_id":  # the admin's "view on site": beacon's incident
        return [object_id(b, "incident")], "incident"
    if name in VALUES:
        return VALUES[name](b), ("user" if name == "uidb36" else None)
    segment = before.rstrip("/").rsplit("/", 1)[-1]
    kind = COLLECTIONS.get(segment) if (name == "pk" or name.endswith("_pk")) else None
    if name.endswith("_id") and kind is None:  # the API's own patterns (ninja)
        kind = _name_kind(name)
    if kind is None:
        raise Unmapped(
            f"parameter {name!r} of route {pattern.name!r} ({pattern.template!r}) names no "
            "known object: map it in tests/security/routes.py"
        )
    return [object_id(b, kind)], kind


def _fill(b: Beacon, pattern: Pattern) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Concrete paths for a pattern (one per combination of values) and the objects named."""
    text = pattern.template.replace("^", "").replace("$", "")
    finder = _REGEX_PARAM if pattern.regex else _ROUTE_PARAM
    pieces: list[list[str]] = []
    targets: list[str] = []
    last = 0
    for match in finder.finditer(text):
        body = match.groupdict().get("body") or ""
        values, kind = _param_values(b, match["name"], text[: match.start()], pattern, body)
        pieces.append([text[last : match.start()]])
        pieces.append(values)
        targets += [kind] if kind else []
        last = match.end()
    pieces.append([text[last:]])
    for combo in itertools.product(*pieces):
        path = "/" + "".join(combo)
        yield (path.replace("\\", "") if pattern.regex else path), tuple(targets)


def web_routes(b: Beacon) -> list[Route]:
    """Every resolver pattern, filled; each is checked to resolve to its own view."""
    routes: dict[str, Route] = {}
    for pattern in walk():
        filled = zip(_fill(b, pattern), _fill(Ghost(b), pattern), strict=True)
        for (path, targets), (ghost, _) in filled:
            if path in routes:  # ninja: one pattern per operation, the first serves them all
                continue
            if resolve(path).func != pattern.callback:
                raise AssertionError(f"{path} does not resolve to {pattern.name}'s view")
            routes[path] = replace(_web_route(pattern, path, targets), ghost_path=ghost)
    return list(routes.values())


def _web_route(pattern: Pattern, path: str, targets: tuple[str, ...]) -> Route:
    """GET, GET as htmx and POST; the admin ignores htmx; the API's operations are called
    with their own methods and bodies by ``api_routes``, here with GET only."""
    admin = pattern.namespace.split(":")[0] == admin_site.name
    if getattr(pattern.callback, "func", pattern.callback).__module__.startswith("ninja"):
        methods: tuple[str, ...] = ("GET",)
    else:
        methods = ("GET", "POST") if admin else ("GET", "HTMX", "POST")
    return Route(pattern.name, path, methods, targets, admin=admin)


# --- OpenAPI ----------------------------------------------------------------------------------


def openapi_documents() -> list[dict[str, Any]]:
    """The OpenAPI document of every ninja API mounted in the resolver (``…:openapi-json``)."""
    docs = []
    for pattern in walk():
        if pattern.name.endswith(":openapi-json") or pattern.name == "openapi-json":
            response = Client().get("/" + pattern.template.replace("^", ""))
            assert response.status_code == 200, (pattern.template, response.status_code)
            docs.append(json.loads(response.content))
    assert docs, "no OpenAPI document found in the resolver"
    return docs


def _name_kind(name: str) -> str | None:
    """The beacon object an API name refers to: ``incident_id`` / ``incident_ids``, and for
    query parameters the bare ``incident``."""
    base = re.sub(r"_ids?$", "", name)
    return PARAMS.get(base)


class BodyMaker:
    """A small valid body for an operation, with every reference to an object pointing at
    beacon's (so the request reaches the permission check rather than stopping at 422)."""

    WORDS = {"country": "CD", "scope": "read", "email": "probe@acme.test", "language": "fr",
             "involvement": "direct", "kind": "armed_forces", "reason": "probe"}  # fmt: skip

    def __init__(self, b: Beacon, doc: dict[str, Any]) -> None:
        self.b, self.components = b, doc.get("components", {}).get("schemas", {})
        self.used: set[str] = set()  # beacon's objects named by the last body made

    def body(self, schema: dict[str, Any]) -> Any:
        self.used = set()
        return self.sample(schema)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [o for o in schema[key] if o.get("type") != "null"]
                return self.resolve(options[0]) if options else {"type": "null"}
        return schema

    def sample(self, schema: dict[str, Any], name: str = "") -> Any:
        schema = self.resolve(schema)
        kind = _name_kind(name)
        if kind is not None and schema.get("type") in {"integer", "array"}:
            pk = self.b[kind].pk
            self.used.add(kind)
            return [pk] if schema.get("type") == "array" else pk
        if "enum" in schema:
            return schema["enum"][0]
        return self._typed(schema, name)

    def _typed(self, schema: dict[str, Any], name: str) -> Any:
        kind = schema.get("type")
        if kind == "object":
            props = schema.get("properties", {})
            wanted = set(schema.get("required", [])) | {p for p in props if _name_kind(p)}
            return {p: self.sample(props[p], p) for p in props if p in wanted}
        if kind == "array":
            items = schema.get("items", {})
            return [self.sample(items, name)] if schema.get("minItems") else []
        if kind in {"integer", "number"}:
            return max(schema.get("minimum", 1), min(schema.get("maximum", 1), 1))
        if kind == "boolean":
            return False
        fmt = schema.get("format")
        if fmt in {"date", "date-time"}:
            return "2023-02-01" if fmt == "date" else "2030-01-01T00:00:00Z"
        text = self.WORDS.get(name, "probe")
        return text[: schema.get("maxLength", len(text))].ljust(schema.get("minLength", 0), "x")


def api_routes(b: Beacon) -> list[Route]:
    routes = []
    for doc in openapi_documents():
        maker = BodyMaker(b, doc)
        for template, operations in doc["paths"].items():
            for method, op in operations.items():
                route = _operation(b, maker, template, method.upper(), op)
                ghost = _operation(Ghost(b), BodyMaker(b, doc), template, method.upper(), op)
                routes.append(replace(route, ghost_path=ghost.path))
    return routes


def _operation(b: Beacon, maker: BodyMaker, template: str, method: str, op: Any) -> Route:
    path, targets, query = template, [], {}
    for param in op.get("parameters", []):
        name, where = param["name"], param["in"]
        kind = _name_kind(name)
        if where == "path":
            if kind is None:
                raise Unmapped(f"path parameter {name!r} of {method} {template}: map it in PARAMS")
            path = path.replace("{" + name + "}", str(b[kind].pk))
            targets.append(kind)
        elif where == "query" and kind is not None:
            query[name] = str(b[kind].pk)
        elif where == "query" and name in {"q", "code"}:
            query[name] = b["person"].code if name == "code" else _title_token(b)
        elif param.get("required"):
            query[name] = str(maker.sample(param.get("schema", {}), name))
    body: Any = None
    named: tuple[str, ...] = ()
    if "requestBody" in op:
        content = op["requestBody"]["content"]
        body = maker.body(next(iter(content.values()))["schema"])
        named = tuple(sorted(maker.used))
    label = f"{method} {template}"
    return Route(label, path, (method,), tuple(targets), True, body, query, named)


def _title_token(b: Beacon) -> str:
    """A word of beacon's incident title: a search for it must find nothing of beacon's."""
    return str(b["incident"].title.split()[0])
