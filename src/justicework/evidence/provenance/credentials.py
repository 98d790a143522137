"""C2PA Content Credentials (``c2pa-python``, the C2PA SDK's bindings): the active manifest's
signer, claim generator, claimed capture and edit history (its actions), and the validation
result. No manifest, a manifest that does not validate, and a signer on no trust list are each
a finding, never an error.

The validation state is the SDK's: ``Trusted`` (valid and the signer on a configured trust
list), ``Valid`` (well formed, signature and hashes verify, the signer not on a trust list) or
``Invalid`` (with the failure codes: ``assertion.dataHash.mismatch`` for changed bytes, …).
The trust list is the PEM file named by ``EVIDENCE_C2PA_TRUST_LIST`` (the roots of signers
this instance trusts), given to the SDK's validation (``verify.verify_trust``,
``trust.trust_anchors``) for each read. A manifest whose signer chains to none of them, or read
with no list configured, is ``Valid`` with the code ``signingCredential.untrusted``: the finding
``c2pa_untrusted`` ("untrusted signer"), not an error. A configured list that cannot be read
when a file is read is the finding ``c2pa_trust_list_unreadable`` and the file is validated
without it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import c2pa
from django.conf import settings

from justicework.evidence.provenance.result import Extracted

MAX_ACTIONS = 50
_SUPPORTED: set[str] | None = None


def supported(media_type: str) -> bool:
    global _SUPPORTED
    if _SUPPORTED is None:
        _SUPPORTED = set(c2pa.Reader.get_supported_mime_types())
    return media_type in _SUPPORTED


def trust_context(result: Extracted) -> c2pa.Context | None:
    """The SDK context that validates signers against the configured trust list (None: none
    configured, or it could not be read: a finding)."""
    path = getattr(settings, "EVIDENCE_C2PA_TRUST_LIST", "")
    if not path:
        return None
    try:
        anchors = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        result.find("c2pa_trust_list_unreadable", type(exc).__name__)
        return None
    config = {"verify": {"verify_trust": True}, "trust": {"trust_anchors": anchors}}
    return c2pa.Context(c2pa.Settings.from_dict(config))


def read(stream: IO[bytes], media_type: str, result: Extracted) -> None:
    """Put what the manifest says in ``result.credentials``; findings for what is wrong."""
    if not supported(media_type):
        return
    stream.seek(0)
    try:
        context = trust_context(result)
        with c2pa.Reader(media_type, stream, context=context) as reader:
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__:
            result.credentials = {"state": "none"}
            result.find("c2pa_none")
        else:
            result.credentials = {"state": "unreadable"}
            result.find("c2pa_unreadable", exc)
        return
    except (ValueError, OSError) as exc:
        result.credentials = {"state": "unreadable"}
        result.find("c2pa_unreadable", exc)
        return
    _describe(store, result)


def _text(mapping: dict[str, Any], key: str) -> str:
    return str(mapping.get(key) or "")


def _describe(store: dict[str, Any], result: Extracted) -> None:
    manifest = (store.get("manifests") or {}).get(store.get("active_manifest") or "", {})
    signature = manifest.get("signature_info") or {}
    failures = [str(s.get("code", "")) for s in store.get("validation_status") or []]
    state = str(store.get("validation_state") or ("Invalid" if failures else "Valid")).lower()
    generator = (manifest.get("claim_generator_info") or [{}])[0]
    actions = _actions(manifest)
    result.credentials = {
        "state": state,
        "signer": _text(signature, "common_name"),
        "issuer": _text(signature, "issuer"),
        "signed_at": _text(signature, "time"),
        "generator": _text(generator, "name") or _text(manifest, "claim_generator"),
        "title": _text(manifest, "title"),
        "actions": actions,
        "captured": next((a["when"] for a in actions if a["action"] == "c2pa.created"), ""),
        "ingredients": len(manifest.get("ingredients") or []),
        "failures": failures[:20],
    }
    _findings(state, failures, _text(signature, "issuer"), result)


def _findings(state: str, failures: list[str], issuer: str, result: Extracted) -> None:
    if state == "invalid":
        wrong = [code for code in failures if code != "signingCredential.untrusted"]
        result.find("c2pa_invalid", ", ".join(wrong))
    elif state != "trusted":
        result.find("c2pa_untrusted", issuer)


def _actions(manifest: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                agent = action.get("softwareAgent") or ""
                found.append({
                    "action": str(action.get("action", "")), "when": str(action.get("when", "")),
                    "agent": str(agent.get("name", "") if isinstance(agent, dict) else agent),
                    "source": str(action.get("digitalSourceType", "")).rsplit("/", 1)[-1],
                })  # fmt: skip
    return found[:MAX_ACTIONS]
