"""Call every route as one identity of acme and judge each answer.

An answer fails when it is a server error, when it shows any of beacon's markers (in its body,
unzipped if it is an XLSX, or its headers), or when it is not a refusal although it names one of
beacon's objects in its path or comes to an anonymous caller: a refusal is 401, 403, 404, 405 or
a redirect to sign-in (log-in, re-authentication; for a person who must have a second factor,
the set-up page too). ``PUBLIC`` and ``SHARED`` are the only exceptions, each with its reason.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from justicework.core import actions as core_actions

from .beacon import Beacon, give_authenticator
from .routes import Route, api_routes, web_routes

REFUSALS = {401, 403, 404, 405}

#: routes anyone may open without signing in (route name or ``METHOD /api/path``) and why
PUBLIC = {
    "healthz": "load balancers' health check: answers 'ok' and nothing else",
    "evidence_public_key": "the public key that checks evidence packages' signatures (opens "
    "nothing; a court must reach it without an account)",
    "account_login": "signing in",
    "account_signup": "allauth's sign-up page, which says sign-up is closed",
    "account_reset_password": "'forgot password' asks for an e-mail address",
    "account_reset_password_done": "the 'check your e-mail' page",
    "account_reset_password_from_key": "the link of a reset e-mail: its secret key decides",
    "account_reset_password_from_key_done": "'your password is changed'",
    "account_confirm_email": "the link of a confirmation e-mail: its secret key decides",
    "account_email_verification_sent": "the 'check your e-mail' page",
    "account_inactive": "the 'this account is inactive' page",
    "account_login_code_confirm": "the code-login step (codes are off): refers to log-in",
    "mfa_login_webauthn": "passkey log-in (the key itself is the credential)",
    "mfa_authenticate": "the second step of signing in",
    "admin:login": "the admin's sign-in page (sends to the platform's own)",
    "admin:logout": "the admin's log-out (sends to the platform's own)",
    "set_language": "choosing the interface language (a cookie)",
    "admin:jsi18n": "the admin's translated JavaScript strings",
    "api-v1:openapi-json": "the API's description: operations and types, no data",
    "grants:call_list": "to a visitor: 'register your organisation or sign in', no call (grcalls)",
    "grants:register": "an applicant organisation registers itself (grcalls)",
    "grants:published_awards": "the published award list: decided calls only (grpublish)",
    "grants:awards_360_csv": "the published award list in 360Giving CSV (grpublish)",
    "grants:awards_360_json": "the published award list in 360Giving JSON (grpublish)",
    "grants:awards_iati": "the published awards as an IATI activity file (grpublish)",
}
#: (route, beacon object) pairs every acme member may see by design, and why
SHARED = {
    ("web:organisation_detail", "organisation"): "the coalition directory (OrganisationRule)",
    ("GET /api/v1/organisations/{org_id}", "organisation"): "the coalition directory",
    ("api-v1:get_organisation", "organisation"): "the same operation, found by the resolver",
    ("account_reset_password_from_key", "user"): "a wrong key shows the same 'bad link' page",
}
#: API operations whose schema-made body is refused (422) before the permission check, so the
#: probe cannot reach it: known findings, strict (an entry that no longer answers 422 fails,
#: so it is removed when its finding is fixed)
KNOWN_422: dict[str, str] = {}


def _nothing(route: Route, what: str) -> bool:
    return False


@dataclass
class Identity:
    """Someone calling routes: a person of acme, a token, nobody, or the platform superuser."""

    name: str
    client_factory: Callable[[], Client]
    session_user: Any = None  # re-signed in after a request that signs out
    mfa_required: bool = False
    web: bool = True  # tokens only matter to the API
    #: (route, beacon object or marker kind) this identity may open or see by design
    may_open: Callable[[Route, str], bool] = _nothing
    may_see: Callable[[Route, str], bool] = _nothing


#: what the platform superuser (no membership) may open or see of beacon's, and why: the
#: read-only admin shows every organisation's records, never an identity (violations/admin.py);
#: elsewhere they administer organisations and their members (OrganisationRule, MembershipRule),
#: follow every background job (tasks/rules.py: system jobs have no owner) and see records only
#: through a membership, which they do not have.
SUPERUSER_OPENS = {"organisation", "member", "user", "progress"}
SUPERUSER_SEES = {"beacon member e-mail", "progress title"}


def _superuser_opens(route: Route, target: str) -> bool:
    return route.admin or target in SUPERUSER_OPENS


def _superuser_sees(route: Route, what: str) -> bool:
    if route.admin:
        return not what.startswith("identity:")
    return what in SUPERUSER_SEES


def identities(cast: SimpleNamespace) -> dict[str, Callable[[], Identity]]:
    """Every role of acme, a user with no membership, acme's admin's read and write tokens,
    anonymous, and the platform superuser (with what they may see by design)."""
    roles = ["admin", "analyst", "documenter", "coordinator", "officer", "reviewer", "viewer"]
    made: dict[str, Callable[[], Identity]] = {
        name: functools.partial(_session, name, getattr(cast, name)) for name in [*roles, "loner"]
    }
    made["read_token"] = lambda: _token("read_token", cast.admin, "read")
    made["write_token"] = lambda: _token("write_token", cast.admin, "write")
    made["anonymous"] = lambda: Identity("anonymous", Client)

    def superuser() -> Identity:
        identity = _session("superuser", cast.superuser)
        identity.may_open, identity.may_see = _superuser_opens, _superuser_sees
        return identity

    made["superuser"] = superuser
    return made


IDENTITY_NAMES = [
    *["admin", "analyst", "documenter", "coordinator", "officer", "reviewer", "viewer"],
    *["loner", "read_token", "write_token", "anonymous", "superuser"],
]


def _session(name: str, user: Any) -> Identity:
    if user.requires_mfa:
        give_authenticator(user)

    def client() -> Client:
        c = Client()
        c.force_login(user)
        return c

    return Identity(name, client, user, user.requires_mfa)


def _token(name: str, user: Any, scope: str) -> Identity:
    _token_obj, secret = core_actions.create_token(
        user, name=f"probe {scope}", scope=scope, expires_in_days=5
    )
    return Identity(name, lambda: Client(headers={"Authorization": f"Bearer {secret}"}), web=False)


@dataclass
class Report:
    identity: str
    requests: int = 0
    pairs: set[tuple[str, str]] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # kinds of markers some answer showed

    def text(self) -> str:
        lines = "\n".join(self.failures)
        return f"{len(self.failures)} failure(s) as {self.identity}:\n{lines}"


def body_text(response: HttpResponseBase) -> str:
    """Everything a caller receives: headers and body (streamed, unzipped if a ZIP)."""
    raw = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content  # type: ignore[attr-defined]
    )
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + raw.decode("utf-8", errors="replace")


def _sign_in_paths(mfa_required: bool) -> set[str]:
    names = ["account_login", "admin:login", "account_reauthenticate", "mfa_reauthenticate"]
    if mfa_required:
        names.append("mfa_index")
    return {reverse(n) for n in names}


def judge(
    identity: Identity,
    route: Route,
    method: str,
    response: HttpResponseBase,
    found: list[tuple[str, str]],
) -> list[str]:
    """What is wrong with one answer ([] when nothing), given the markers it shows."""
    status, problems = response.status_code, []
    where = f"{method} {route.path} [{route.label}] as {identity.name}: {status}"
    if status >= 500:
        problems.append(f"{where}: server error")
    shown = [f"{m} ({what})" for m, what in found if not identity.may_see(route, what)]
    if shown:
        problems.append(f"{where}: shows beacon's {', '.join(shown)}")
    refused = status in REFUSALS or (
        300 <= status < 400
        and urlsplit(response["Location"]).path in _sign_in_paths(identity.mfa_required)
    )
    label = route.label if not route.api else f"{method} {route.label.split(' ', 1)[1]}"
    if route.api and label in KNOWN_422:
        if status == 422:
            return problems
        if identity.name not in {"anonymous", "read_token"}:  # they stop before the body
            return [*problems, f"{where}: in KNOWN_422 but no longer 422: remove the entry"]
    if 200 <= status < 300 and route.body_targets and method != "GET":
        problems.append(f"{where}: accepted although its body names beacon's {route.body_targets}")
    if status < 500 and not refused:
        shared = all((label, t) in SHARED or identity.may_open(route, t) for t in route.targets)
        if route.targets and not shared:
            problems.append(f"{where}: not refused although it names beacon's {route.targets}")
        elif identity.name == "anonymous" and label not in PUBLIC and route.label not in PUBLIC:
            problems.append(f"{where}: answers anonymous callers but is not in PUBLIC")
    return problems


def _poison(beacon: Beacon) -> dict[str, str]:
    """Form fields and query parameters naming beacon's objects, sent to every web route."""
    names = {"to_incident": "other_incident", "parent": "parent_unit"}
    fields = ["organisation", "incident", "to_incident", "person", "unit", "parent", "source",
              "violation", "user", "victim_group", "location", "mapping"]  # fmt: skip
    ids = {name: str(beacon[names.get(name, name)].pk) for name in fields}
    # a word of beacon's incident title (not the marker, which pages may echo back), and the
    # answers a deliberate act asks for (a confirmation, a reason)
    words = {"q": beacon["incident"].title.split()[0], "confirm": "on", "reason": "probe"}
    return {**ids, **words}


def call(client: Client, route: Route, method: str, beacon: Beacon) -> HttpResponseBase:
    if route.api:
        data = json.dumps(route.body) if route.body is not None else ""
        query = "&".join(f"{k}={v}" for k, v in route.query.items())
        path = f"{route.path}?{query}" if query else route.path
        return client.generic(method, path, data, content_type="application/json")
    if method == "GET":
        return client.get(route.path, _poison(beacon))
    if method == "HTMX":  # the partial a page sends to htmx
        return client.get(route.path, _poison(beacon), headers={"HX-Request": "true"})
    return client.post(route.path, _poison(beacon))


def _keep_signed_in(identity: Identity, client: Client) -> Client:
    """A POST may have signed the person out (log-out) or removed their second factor."""
    if identity.session_user is None:
        return client
    if client.session.get("_auth_user_id") != str(identity.session_user.pk):
        client = identity.client_factory()
    if identity.mfa_required:
        give_authenticator(identity.session_user)
    return client


def _same_for_a_ghost(
    client: Client, route: Route, method: str, beacon: Beacon, identity: Identity
) -> list[str]:
    """A 403 for beacon's object must also be the answer for an object that does not exist,
    or the difference tells that beacon's exists."""
    ghost = call(client, replace(route, path=route.ghost_path), method, beacon)
    if ghost.status_code == 403:
        return []
    return [
        f"{method} {route.path} [{route.label}] as {identity.name}: 403 for beacon's "
        f"{route.targets}, {ghost.status_code} for ids that do not exist: tells they exist"
    ]


def _methods(identity: Identity, route: Route) -> tuple[str, ...]:
    """The admin site refuses non-staff people before any view, whatever the method
    (``AdminSite.admin_view``): they get its pages with GET only, to save time; staff (the
    superuser) and anonymous callers get every method."""
    user = identity.session_user
    if route.admin and user is not None and not user.is_staff:
        return ("GET",)
    return route.methods


def run(identity: Identity, beacon: Beacon, routes: list[Route]) -> Report:
    """Call every route with its method(s) as ``identity``; collect every problem."""
    report = Report(identity.name)
    client = identity.client_factory()
    for route in routes:
        if not route.api and not identity.web:
            continue
        for method in _methods(identity, route):
            response = call(client, route, method, beacon)
            report.requests += 1
            report.pairs.add((route.path, identity.name))
            found = beacon.found_in(body_text(response))
            report.seen.update(what for _marker, what in found)
            report.failures += judge(identity, route, method, response, found)
            if route.targets and response.status_code == 403:
                report.requests += 1
                report.failures += _same_for_a_ghost(client, route, method, beacon, identity)
            if method not in {"GET", "HTMX"}:
                client = _keep_signed_in(identity, client)
    return report


def check(
    cast: SimpleNamespace, beacon: Beacon, who: str, *, api: bool, record: Callable[..., None]
) -> None:
    """Run the matrix for one identity, record its figures, fail with the full report."""
    report = run(identities(cast)[who](), beacon, all_routes(beacon, api=api))
    record("probe_matrix", "api" if api else "web")
    record("probe_requests", report.requests)
    record("probe_pairs", len(report.pairs))
    record("probe_failures", len(report.failures))
    assert not report.failures, report.text()


def all_routes(beacon: Beacon, *, api: bool) -> list[Route]:
    """The API's operations (``api=True``) or every resolver pattern (the API's included, each
    called with GET and POST)."""
    return api_routes(beacon) if api else web_routes(beacon)
