"""House rules as code (STYLE 13): greps over the source tree."""

from __future__ import annotations

import re
from pathlib import Path

import justicework

SRC = Path(justicework.__file__).resolve().parent
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))

EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I
)
# Executable inline script; JSON data blocks (type="application/json") are not run by browsers.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
OBJECTS_GET = re.compile(r"\.objects\.get\(")
SAVE_CALL = re.compile(r"\.save\(")
SAVE_ALLOWED = "# house-rules: not a model save"


def _views_and_api_files() -> list[Path]:
    files = set(SRC.rglob("views.py")) | set(SRC.rglob("views/*.py"))
    files |= set(SRC.rglob("api.py")) | set(SRC.rglob("api/*.py")) | set(SRC.rglob("api_*.py"))
    return sorted(files)


def _violations(paths: list[Path], pattern: re.Pattern[str], allow: str = "") -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not (allow and allow in line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_the_tree_has_templates_and_views_to_check() -> None:
    assert any(p.name == "base.html" for p in TEMPLATES)
    assert any(p.parent.name == "web" for p in _views_and_api_files())


def test_templates_load_nothing_from_other_hosts() -> None:
    assert _violations(TEMPLATES, EXTERNAL_ASSET) == []


def test_templates_have_no_inline_script_style_or_event_handlers() -> None:
    assert _violations(TEMPLATES, INLINE_SCRIPT) == []
    assert _violations(TEMPLATES, INLINE_STYLE) == []
    assert _violations(TEMPLATES, EVENT_HANDLER) == []


def test_views_and_api_never_use_objects_get() -> None:
    assert _violations(_views_and_api_files(), OBJECTS_GET) == []


def test_views_never_call_save() -> None:
    views = [p for p in _views_and_api_files() if "views" in p.parts or p.name == "views.py"]
    assert _violations(views, SAVE_CALL, SAVE_ALLOWED) == []


def test_the_patterns_catch_what_they_should() -> None:
    assert EXTERNAL_ASSET.search('<script src="https://cdn.example.org/htmx.js"></script>')
    assert EXTERNAL_ASSET.search("<link rel=stylesheet href='//fonts.example.com/x.css'>")
    assert not EXTERNAL_ASSET.search('<script src="/static/django_htmx/htmx-2.min.js"></script>')
    assert not EXTERNAL_ASSET.search('<a href="https://example.org">docs</a>')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script data-x="y" type="application/json">{}</script>')
    assert INLINE_SCRIPT.search('<script type="module">go()</script>')
    assert INLINE_STYLE.search('<p style="color:red">') and INLINE_STYLE.search("<style>")
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert OBJECTS_GET.search("Incident.objects.get(pk=pk)")
    assert SAVE_CALL.search("incident.save()")
