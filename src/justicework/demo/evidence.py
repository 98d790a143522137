"""Demo step: the evidence vault of ``member-1`` (registered in ``DemoConfig.ready``, after the
violations step, whose incidents, violations and persons it links to).

What it adds, all generated (``demo.evidence_media``, Faker; nothing real):

* four photographs (JPEG with EXIF: camera, time, UTC offset, GPS in the incident's country),
  one of them flagged graphic, and a resized, re-encoded copy of the first (another SHA-256,
  nearly the same perceptual hash: the near-duplicate panel shows the pair);
* two PDF reports (a page of text, which their thumbnails show) with document information,
  a short MPEG-4 video, a WAV recording;
* a web capture (WARC, and a screenshot where Chromium is installed) of a page served by a
  throw-away ``http.server`` on 127.0.0.1, let through for that one capture only
  (``capture.hosts.loopback_port_allowed``): the production SSRF rules are never loosened;
* links to incidents, a violation and a person of the organisation; findings at the three
  levels by the legal analyst; two-person verification turned on, one item verified by the
  admin (not the examiner), one disputed, one in review waiting for a second person;
* provenance and derivatives computed here, synchronously, so the pages show them at once.

Every write goes through the evidence actions (custody and audit come with them). The step is
idempotent: it does nothing when the organisation already holds its items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from justicework.core import policy
from justicework.core.roles import Role
from justicework.demo import evidence_media as media
from justicework.demo.violations_data import BOXES
from justicework.evidence import actions
from justicework.evidence.actions import captures
from justicework.evidence.actions.derivatives import make_derivatives
from justicework.evidence.actions.files import store_file
from justicework.evidence.capture import hosts
from justicework.evidence.capture.fetch import FetchProblem
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.intake.hashing import Digests
from justicework.evidence.models import Capture, Item, Original, Provenance
from justicework.violations.models import Incident, Person, Violation

if TYPE_CHECKING:
    from justicework.core.models import Organisation, User
    from justicework.demo import DemoContext

ORG = "member-1"
PREFIX = "demo-evidence/"  # every demo item's submitted name: the step's marker
CAMERAS = (("Example Mobile", "EM-3"), ("Demo Optics", "DO 12"), ("Fictional Phone", "FP 5"))
SOURCE_FINDINGS = (
    "The photographer, {name}, is a trained monitor of the organisation; the files came on "
    "the monitor's own phone.",
    "Published by an anonymous channel first seen in {year}; no earlier reliable posts.",
)
ITEM_FINDINGS = (
    "EXIF time and GPS agree with the incident's date and place; no sign of editing.",
    "The forwarded copy is the same picture, resized and re-encoded by a messaging app.",
    "The document information names an author unknown to the organisation.",
)
CONTENT_FINDINGS = (
    "Buildings and the road junction match satellite imagery of {place}.",
    "The shadows give a time of day consistent with the witness account of {name}.",
)


@dataclass
class Made:
    """The items made by one run of the step, by role in the demo."""

    photos: list[Item] = field(default_factory=list)
    near_duplicate: Item | None = None
    documents: list[Item] = field(default_factory=list)
    video: Item | None = None
    audio: Item | None = None
    capture: Capture | None = None

    def items(self) -> list[Item]:
        found = [*self.photos, self.near_duplicate, *self.documents, self.video, self.audio]
        if self.capture is not None:
            found += [self.capture.item, self.capture.screenshot]
        return [item for item in found if item is not None]


@dataclass
class Run:
    """What the step works with: the organisation, its documenter (the uploader), the
    incidents to link to, a work directory beside the vault, and what it made."""

    org: Organisation
    actor: User
    collector: str
    country: str
    incidents: list[Incident]
    workdir: Path
    made: Made = field(default_factory=Made)


def exists(org: Organisation) -> bool:
    return Item.objects.filter(organisation=org, submitted_name__startswith=PREFIX).exists()


def _store(actor: User, org: Organisation, workdir: Path, name: str, data: bytes,
           record: dict[str, Any]) -> Item:  # fmt: skip
    """One generated file made an item through the intake's steps (``store_file``)."""
    path = workdir / f"{uuid.uuid4().hex}.part"
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    sha256 = hashlib.sha256(data).hexdigest()
    digests = Digests(sha256, hashlib.sha512(data).hexdigest())
    try:
        return store_file(
            actor, org, path, digests=digests, size=len(data), name=PREFIX + name,
            record_fields=record, received={"source": "justicework demo (synthetic data)"},
        )  # fmt: skip
    finally:
        path.unlink(missing_ok=True)


def _place(incident: Incident | None, ctx: DemoContext, country: str) -> tuple[float, float]:
    """The GPS position of a photograph: the incident's location, or a point in its country."""
    if incident is not None:
        located = incident.locations.exclude(latitude=None).exclude(longitude=None).first()
        if located is not None and located.latitude is not None and located.longitude is not None:
            return float(located.latitude), float(located.longitude)
    south, west, north, east = BOXES.get(country, BOXES["UA"])
    return round(ctx.random.uniform(south, north), 5), round(ctx.random.uniform(west, east), 5)


def _moment(incident: Incident | None, ctx: DemoContext) -> dt.datetime:
    day = incident.start_date if incident is not None and incident.start_date else None
    day = day or (timezone.now() - dt.timedelta(days=ctx.random.randrange(30, 400))).date()
    at = dt.time(ctx.random.randrange(6, 20), ctx.random.randrange(60), ctx.random.randrange(60))
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def _photos(ctx: DemoContext, run: Run) -> None:
    for n in range(4):
        incident = run.incidents[n % len(run.incidents)] if run.incidents else None
        taken = _moment(incident, ctx)
        local = taken + dt.timedelta(hours=2)
        make, model = ctx.random.choice(CAMERAS)
        data = media.jpeg_with_exif(
            media.picture(ctx.seed * 100 + n), make=make, model=model,
            taken=local.strftime("%Y:%m:%d %H:%M:%S"), offset="+02:00",
            gps=_place(incident, ctx, run.country),
        )  # fmt: skip
        name = f"IMG_{ctx.random.randrange(1000, 9999)}.jpg"
        run.made.photos.append(_store(run.actor, run.org, run.workdir, name, data, {
            "collector": run.collector, "collected_at": taken,
            "collection_tool": f"{make} {model} camera",
            "collection_method": "photographed at the site by a monitor",
            "sha256_at_collection": hashlib.sha256(data).hexdigest(),
        }))  # fmt: skip
        if n == 0:
            copy = media.resized_copy(data)
            run.made.near_duplicate = _store(
                run.actor, run.org, run.workdir, f"forwarded-{name}", copy,
                {"collector": run.collector, "collected_at": taken + dt.timedelta(days=1),
                 "collection_tool": "messaging app export",
                 "collection_method": "received from a witness through a messaging app"},
            )  # fmt: skip


def _documents_and_recordings(ctx: DemoContext, run: Run) -> None:
    faker = ctx.faker["en_GB"]
    for n in range(2):
        title = f"{faker.catch_phrase()} (field report {n + 1})"
        lines = [title, *(faker.paragraph(nb_sentences=4) for _ in range(3))]
        data = media.pdf(lines, **{"/Title": title, "/Author": faker.name(),
                                   "/Producer": "Demo Office Writer"})  # fmt: skip
        run.made.documents.append(_store(
            run.actor, run.org, run.workdir, f"report-{n + 1}.pdf", data,
            {"collector": run.collector, "collected_at": _moment(None, ctx),
             "collection_tool": "web browser download",
             "source_url": f"https://reports.example.org/{faker.slug()}.pdf",
             "collection_method": "downloaded from a public website"},
        ))  # fmt: skip
    video = media.video(title=f"{faker.city()} checkpoint", comment="synthetic demo clip")
    run.made.video = _store(run.actor, run.org, run.workdir, "checkpoint.mp4", video, {
        "collector": run.collector, "collected_at": _moment(None, ctx),
        "collection_tool": "Example Mobile EM-3 camera",
        "collection_method": "filmed by a witness, handed over in person",
    })  # fmt: skip
    run.made.audio = _store(run.actor, run.org, run.workdir, "witness-call.wav", media.tone(), {
        "collector": run.collector, "collected_at": _moment(None, ctx),
        "collection_tool": "call recorder",
        "collection_method": "recorded interview, with the witness's consent",
    })  # fmt: skip


def _page(ctx: DemoContext) -> bytes:
    faker = ctx.faker["en_GB"]
    paragraphs = "".join(f"<p>{faker.paragraph(nb_sentences=4)}</p>" for _ in range(3))
    title = f"{faker.city()}: {faker.catch_phrase()}"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p><em>A fictional page served by the JusticeWork demo."
        f"</em></p>{paragraphs}</body></html>"
    ).encode()


@contextmanager
def local_page(body: bytes) -> Iterator[int]:
    """Serve ``body`` as HTML on 127.0.0.1 (a free port, yielded) for the block's duration."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the demo's output stays the demo's

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _capture(ctx: DemoContext, run: Run) -> None:
    """A capture of a page of our own server; the loopback port is open for this block only."""
    with local_page(_page(ctx)) as port, hosts.loopback_port_allowed(port):
        capture = captures.create_capture(
            run.actor, run.org, f"http://127.0.0.1:{port}/news/{ctx.faker['en_GB'].slug()}.html"
        )
        try:
            run.made.capture = captures.run_capture(capture)
        except (hosts.Refused, FetchProblem, IntakeError) as exc:
            captures.fail_capture(capture, exc.message)  # the page says why; the demo goes on
            ctx.write(f"Evidence demo: the web capture failed: {exc.message}")


def _link(run: Run) -> None:
    """Links to records the documenter may open (a restricted incident is left alone)."""
    people = policy.visible(run.actor, Person, "view").filter(organisation=run.org)
    person = people.order_by("pk").first()
    violation = (
        policy.visible(run.actor, Violation, "view")
        .filter(organisation=run.org, incident__in=run.incidents)
        .order_by("pk")
        .first()
    )
    for n, photo in enumerate(run.made.photos):
        if run.incidents:
            actions.link_item(run.actor, photo, run.incidents[n % len(run.incidents)])
    if run.incidents and run.made.near_duplicate is not None:
        actions.link_item(run.actor, run.made.near_duplicate, run.incidents[0])
    if violation is not None and run.made.video is not None:
        actions.link_item(run.actor, run.made.video, violation)
    if person is not None and run.made.audio is not None:
        actions.link_item(run.actor, run.made.audio, person)
    if run.incidents and run.made.documents:
        actions.link_item(run.actor, run.made.documents[0], run.incidents[0])


def _verify(ctx: DemoContext, run: Run) -> None:
    """Findings by the analyst at the three levels; two-person verification on; the admin (who
    examined nothing) verifies one item, disputes another; the video waits for a second person."""
    analyst, admin = ctx.user(ORG, Role.LEGAL_ANALYST), ctx.user(ORG, Role.ORG_ADMIN)
    faker, made = ctx.faker["en_GB"], run.made
    actions.set_two_person_verification(admin, run.org, True)
    fill = {"name": faker.name(), "year": ctx.random.randrange(2015, 2023),
            "place": faker.city()}  # fmt: skip

    def finding(item: Item | None, level: str, text: str, confidence: str) -> None:
        if item is not None:
            actions.record_finding(analyst, item, level=level, text=text.format(**fill),
                                   confidence=confidence)  # fmt: skip

    photo = made.photos[0]
    finding(photo, "source", SOURCE_FINDINGS[0], "high")
    finding(photo, "item", ITEM_FINDINGS[0], "high")
    finding(photo, "content", CONTENT_FINDINGS[0], "medium")
    finding(made.near_duplicate, "item", ITEM_FINDINGS[1], "high")
    concluded = "Examined by the legal analyst; concluded by a second person."
    actions.set_status(admin, photo, Item.Status.VERIFIED, note=concluded)
    report = made.documents[0]
    finding(report, "source", SOURCE_FINDINGS[1], "low")
    finding(report, "item", ITEM_FINDINGS[2], "low")
    actions.set_status(admin, report, Item.Status.DISPUTED,
                       note="The source cannot be traced; kept, not relied on.")  # fmt: skip
    finding(made.video, "item", ITEM_FINDINGS[0], "medium")
    finding(made.video, "content", CONTENT_FINDINGS[1], "medium")
    # the video stays in review: its examiner may not verify it (two-person rule)


def _compute(items: list[Item]) -> None:
    """Provenance and derivatives now, not by the worker: the demo's pages show them at once."""
    originals = Original.objects.filter(pk__in=[item.original_id for item in items])
    read = Provenance.objects.filter(original__in=originals)
    done = set(read.values_list("original_id", flat=True))
    for original in originals:
        if original.pk not in done:
            actions.extract_provenance(original)
        make_derivatives(original)


def _incidents(actor: User, org: Organisation) -> list[Incident]:
    visible = policy.visible(actor, Incident, "view").filter(organisation=org)
    return list(visible.order_by("pk")[:3])


def build(ctx: DemoContext) -> None:
    """The demo step: build the evidence of ``member-1`` unless it is already there."""
    org = ctx.organisations.get(ORG)
    if org is None or exists(org):
        return
    actor = ctx.user(ORG, Role.DOCUMENTER)
    root = Path(settings.EVIDENCE_DIR)
    root.mkdir(parents=True, exist_ok=True)
    # beside the vault: a stored original is a hard link of the generated file
    with tempfile.TemporaryDirectory(prefix="demo-", dir=root) as workdir:
        run = Run(org, actor, ctx.faker["uk_UA"].name(), (org.countries or ["UA"])[0],
                  _incidents(actor, org), Path(workdir))  # fmt: skip
        _photos(ctx, run)
        _documents_and_recordings(ctx, run)
        _capture(ctx, run)
    actions.set_graphic(actor, run.made.photos[2], True)
    _link(run)
    _verify(ctx, run)
    _compute(run.made.items())
    ctx.write(
        f"Evidence demo: {len(run.made.items())} items in {org.name} (synthetic media, a web "
        "capture of a local page, findings, links)."
    )
