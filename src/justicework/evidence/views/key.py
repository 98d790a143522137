"""``/.well-known/justicework/evidence-key``: the public half of the instance's evidence-signing
key (PEM), so whoever receives a package can check its signature against a key they did not
get from the package. Public by design: a public key opens nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from justicework.evidence.packages import signing


@require_safe
def evidence_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(signing.public_pem(), content_type="application/x-pem-file")
    response["X-Key-SHA256"] = signing.fingerprint()
    response["Cache-Control"] = "public, max-age=3600"
    return response
