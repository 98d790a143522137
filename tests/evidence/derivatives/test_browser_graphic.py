"""Graphic media in a real browser (Debian's chromium through Playwright, as
tests/evidence/test_browser_upload.py): a graphic item's preview and thumbnail are blurred;
"Show" reveals one for this view only; reloading the page (and coming back to it) blurs it
again, since the choice is not remembered. The strict CSP stays on (the script is a static
file); at 360 px and in Arabic (right to left) the page does not scroll sideways and the
button sits over the picture."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.evidence.actions import make_derivatives, set_graphic
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

from ..conftest import upload_file
from ..provenance import files

BLUR = "getComputedStyle(document.querySelector('{0} img')).filter"


def _blur(browser_page: Any, selector: str) -> str:
    return str(browser_page.evaluate(BLUR.format(selector)))


def test_show_reveals_for_this_view_only_and_reloading_blurs_again(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_DIR = tmp_path / "vault"
    item = upload_file(
        cast.documenter, cast.acme, files.encode(files.picture(90), "JPEG"), filename="scene.jpg"
    )
    make_derivatives(item.original)
    set_graphic(cast.documenter, item, True)
    base = live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.analyst, secret)
    _sign_in_with_totp(page, base, cast.analyst.email, cast.password, secret)

    url = f"{base}/evidence/items/{item.pk}/"
    page.goto(url)
    preview = "#derivatives .graphic-media"
    page.wait_for_selector(f"{preview} img")
    assert page.evaluate(f"document.querySelector('{preview} img').naturalWidth") > 0
    assert _blur(page, preview).startswith("blur(")
    page.click(f"{preview} .graphic-show")
    assert _blur(page, preview) == "none" and page.locator(f"{preview} .graphic-show").count() == 0

    page.reload()
    page.wait_for_selector(f"{preview} .graphic-show")
    assert _blur(page, preview).startswith("blur(")  # not remembered
    page.goto(f"{base}/evidence/items/")
    thumb = ".media--thumb.graphic-media"
    assert _blur(page, thumb).startswith("blur(")
    page.click(f"{thumb} .graphic-show")
    assert _blur(page, thumb) == "none"
    page.goto(url)
    assert _blur(page, preview).startswith("blur(")  # nor carried to another page
    assert page.problems == []  # no CSP violation, no script error

    page.set_viewport_size({"width": 360, "height": 740})
    for language in ("en", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page.goto(url)
        # measured once the picture has its size: before, the box is the button's alone
        page.locator(f"{preview} img").evaluate("img => img.decode()")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, language
        box = page.locator(preview).bounding_box()
        button = page.locator(f"{preview} .graphic-show").bounding_box()
        assert box is not None and button is not None
        assert box["x"] <= button["x"] and button["x"] + button["width"] <= box["x"] + box["width"]
        page.click(f"{preview} .graphic-show")
        assert _blur(page, preview) == "none", language
    assert page.problems == []
