"""The screenshot of a captured page, where a headless browser is available.

The browser never fetches the page itself (it would resolve and connect on its own, outside
the rules of ``hosts``): it renders the body of the final response as captured, from a file,
with every network request made impossible (every host name maps to nothing and every other
request goes to a proxy on a closed port). What the screenshot shows is therefore the captured
document; images, styles and scripts from other addresses are not in it. Only HTML bodies are
rendered. When no browser is configured or found, or the body is not HTML, or the browser
fails, the capture goes on without a screenshot and says why (``Shot.reason``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 1280, 2400
TIMEOUT_SECONDS = 60
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Shot:
    path: Path | None  # the PNG, or None with a reason
    reason: str = ""
    browser: str = ""


def browser() -> str:
    """The browser's path ("" when none is configured or it is not there)."""
    configured = str(settings.EVIDENCE_CAPTURE_BROWSER or "")
    if not configured:
        return ""
    found = shutil.which(configured)
    return found or ""


def take(body: bytes, content_type: str, workdir: Path) -> Shot:
    """A PNG of ``body`` rendered offline at 1280 px wide (its first 2400 px)."""
    program = browser()
    if not program:
        return Shot(None, _("No headless browser is available on this server."))
    if content_type.split(";", 1)[0].strip().lower() not in HTML_TYPES:
        return Shot(None, _("The page is not HTML (%(type)s).") % {"type": content_type or "?"})
    page = workdir / "page.html"
    page.write_bytes(body)
    out = workdir / "screenshot.png"
    profile = workdir / "browser-profile"
    command = [
        program, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", "--disable-extensions", "--disable-background-networking",
        f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={out}", page.as_uri(),
    ]  # fmt: skip
    try:
        subprocess.run(  # noqa: S603  # a fixed program and arguments, no shell
            command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True,
            env={**os.environ, "HOME": str(workdir)},
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return Shot(None, _("The browser failed: %(error)s") % {"error": type(exc).__name__})
    if not out.is_file() or not out.stat().st_size:
        return Shot(None, _("The browser wrote no screenshot."))
    return Shot(out, browser=program)
