"""C2PA Content Credentials (``c2pa-python``, the C2PA SDK's bindings): the active manifest's
signer, claim generator, claimed capture and edit history (its actions), and the validation
result. No manifest, a manifest that does not validate, and a signer on no trust list are each
a finding, never an error.

The validation state is the SDK's: ``Trusted`` (valid and the signer on a configured trust
list), ``Valid`` (well formed, signature and hashes verify, the signer not on a trust list) or
``Invalid`` (with the failure codes: ``assertion.dataHash.mismatch`` for changed bytes, …).
No trust list is configured here, so a genuine manifest reads as ``Valid`` with the code
``signingCredential.untrusted``."""

from __future__ import annotations

import json
from typing import IO, Any

import c2pa

from justicework.evidence.provenance.result import Extracted

MAX_ACTIONS = 50
_SUPPORTED: set[str] | None = None


def supported(media_type: str) -> bool:
    global _SUPPORTED
    if _SUPPORTED is None:
        _SUPPORTED = set(c2pa.Reader.get_supported_mime_types())
    return media_type in _SUPPORTED


def read(stream: IO[bytes], media_type: str, result: Extracted) -> None:
    """Put what the manifest says in ``result.credentials``; findings for what is wrong."""
    if not supported(media_type):
        return
    stream.seek(0)
    try:
        with c2pa.Reader(media_type, stream) as reader:
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
