from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.encryption import keyring, rotation
from justicework.encryption.keyring import Ciphertext, MasterKeyMismatch
from justicework.encryption.models import DataKey
from justicework.encryption.startup import check_master_key
from tests.encryption.conftest import raw
from tests.encryption.testapp.models import Dossier, Note


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("keys", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


@pytest.fixture
def new_master(settings):
    """Switch to a new master key, keeping the old one as JUSTICEWORK_OLD_MASTER_KEYS does."""
    old = settings.MASTER_KEY
    settings.MASTER_KEY = os.urandom(32)
    settings.OLD_MASTER_KEYS = [old]
    keyring.keyring.clear()
    return old


def names() -> dict[int, str]:
    return {d.pk: d.name for d in Dossier.objects.all()}


# --- check ---------------------------------------------------------------------------------


def test_keys_check_passes_with_the_right_master_key(dossiers):
    code, output = run("check")
    assert code == 0
    count = DataKey.objects.count()
    assert f"{count} data keys unwrap with JUSTICEWORK_MASTER_KEY" in output


def test_wrong_master_key_fails_check_with_a_clear_message(dossiers, settings):
    settings.MASTER_KEY = os.urandom(32)
    keyring.keyring.clear()
    with pytest.raises(MasterKeyMismatch, match="JUSTICEWORK_MASTER_KEY"):
        check_master_key()
    code, output = run("check")
    assert code == 1
    assert "JUSTICEWORK_MASTER_KEY cannot unwrap data key" in output


def test_wrong_master_key_never_returns_garbage_when_reading(dossiers, settings):
    settings.MASTER_KEY = os.urandom(32)
    keyring.keyring.clear()
    with pytest.raises(MasterKeyMismatch, match="JUSTICEWORK_MASTER_KEY"):
        Dossier.objects.get(pk=dossiers[0].pk)


def test_altered_wrapped_key_is_reported_as_a_master_key_problem(dossiers):
    data_key = DataKey.objects.filter(scope__startswith="org:").first()
    wrapped = bytearray(data_key.wrapped_key)
    wrapped[-1] ^= 1
    DataKey.objects.filter(pk=data_key.pk).update(wrapped_key=bytes(wrapped))
    keyring.keyring.clear()
    code, output = run("check")
    assert code == 1 and f"data key {data_key.pk}" in output


def test_check_passes_on_an_empty_database(db):
    assert check_master_key().checked == 0
    assert run("check")[0] == 0


def test_old_master_key_still_unwraps_and_check_warns(dossiers, new_master):
    code, output = run("check")
    assert code == 0
    assert "still wrapped by an old master key" in output
    assert Dossier.objects.get(pk=dossiers[0].pk).name == "Person 0 Ålvarez"


# --- rotate --master ----------------------------------------------------------------------------


def test_rotate_master_rewraps_every_data_key(dossiers, new_master, settings):
    before = names()
    code, output = run("rotate", "--master", "--batch-size", "2")
    assert code == 0, output
    current = keyring.master_key_id(settings.MASTER_KEY)
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {current}
    settings.OLD_MASTER_KEYS = []  # the old key can now be thrown away
    keyring.keyring.clear()
    assert run("check")[0] == 0
    assert names() == before
    entries = AuditEntry.objects.filter(action="encryption.data_keys.rewrapped")
    assert entries.count() == (DataKey.objects.count() + 1) // 2
    assert verify_chain().ok


def test_rotate_master_without_the_old_key_fails_clearly(dossiers, settings):
    settings.MASTER_KEY = os.urandom(32)
    keyring.keyring.clear()
    code, output = run("rotate", "--master")
    assert code == 1 and "JUSTICEWORK_OLD_MASTER_KEYS" in output


def test_rotate_needs_something_to_rotate(db):
    with pytest.raises(CommandError, match="--master, --data-keys"):
        call_command("keys", "rotate")


# --- rotate --data-keys ---------------------------------------------------------------------


def key_ids(model: type, field: str) -> set[int]:
    return {keyring.key_id_of(raw(model, o.pk, field)) for o in model.objects.all()}


def test_rotate_data_keys_reencrypts_every_value_and_values_still_read(dossiers):
    before = names()
    notes_before = {n.pk: n.text for n in Note.objects.all()}
    old_keys = key_ids(Dossier, "name") | key_ids(Note, "text")
    code, output = run("rotate", "--data-keys", "--batch-size", "2", "--no-wait")
    assert code == 0, output
    keyring.keyring.clear()
    assert names() == before
    assert {n.pk: n.text for n in Note.objects.all()} == notes_before
    new_keys = key_ids(Dossier, "name") | key_ids(Note, "text")
    assert new_keys.isdisjoint(old_keys) and len(new_keys) == 2  # acme and beacon
    for field in ["born", "details"]:
        assert key_ids(Dossier, field) == key_ids(Dossier, "name")
    assert DataKey.objects.filter(pk__in=old_keys, retired_at__isnull=False).count() == 2


def test_rotation_is_audited_per_batch_without_plaintext(dossiers):
    run("rotate", "--data-keys", "--batch-size", "2", "--no-wait")
    entries = list(AuditEntry.objects.filter(action="encryption.values.reencrypted"))
    assert sum(e.diff["rows"] for e in entries) == 10  # 5 dossiers + 5 notes
    assert len(entries) == 3 + 3  # ceil(5 / 2) batches per model
    text = str([e.diff for e in entries])
    assert "Person" not in text and "Ålvarez" not in text and "note" not in text
    assert AuditEntry.objects.filter(action="encryption.data_keys.rotated").count() == 1
    assert verify_chain().ok


def test_rotate_data_keys_is_resumable(dossiers, monkeypatch):
    calls = {"n": 0}
    real_apply = rotation._apply

    def crash_after_first_batch(model, updates):
        calls["n"] += 1
        if calls["n"] > 1:
            raise KeyboardInterrupt
        return real_apply(model, updates)

    monkeypatch.setattr(rotation, "_apply", crash_after_first_batch)
    with pytest.raises(KeyboardInterrupt):
        call_command("keys", "rotate", "--data-keys", "--batch-size", "2", "--no-wait")
    monkeypatch.setattr(rotation, "_apply", real_apply)
    keys_after_crash = DataKey.objects.count()
    assert "values on a retired key" in run("status")[1]

    result = rotation.rotate_data_keys(batch_size=2, wait=False)
    assert result.new_keys == {}  # continued, no second new key
    assert sorted(result.continued) == sorted({f"org:{d.organisation_id}" for d in dossiers})
    assert result.reencrypted == 10 - 2
    assert DataKey.objects.count() == keys_after_crash
    assert len(key_ids(Dossier, "name")) == 2
    assert "every encrypted value is on its organisation's newest key" in run("status")[1]
    # Running once more is a fresh rotation: new keys again.
    assert len(rotation.rotate_data_keys(batch_size=2, wait=False).new_keys) == 2


def test_rotation_while_the_application_keeps_writing(dossiers, cast, monkeypatch):
    """Interleave: between batches, the app saves, creates, and a process with a stale key cache
    writes under the previous key. Every value ends on the newest key and reads back."""
    monkeypatch.setattr(keyring, "ACTIVE_KEY_TTL_SECONDS", 0.0)
    acme_scope = keyring.org_scope(cast.acme.pk)
    old_acme_key = keyring.keyring.active_key_id(acme_scope)
    real_apply = rotation._apply
    step = {"n": 0}

    def interleaved(model, updates):
        step["n"] += 1
        if step["n"] == 1:  # before the first batch (dossiers 0 and 1) is written
            edited = Dossier.objects.get(pk=dossiers[1].pk)
            edited.name = "Edited during rotation"
            edited.save()  # the batch's update of dossier 1 must not overwrite this
            Dossier.objects.create(organisation=cast.acme, name="Created during rotation")
        if step["n"] == 2:  # dossier 0 is already on the new key: a stale writer moves it back
            stale = keyring.encrypt_with(
                b"Stale writer", old_acme_key, "encryption_testapp.dossier.name"
            )
            Dossier.objects.filter(pk=dossiers[0].pk).update(name=Ciphertext(stale))
        return real_apply(model, updates)

    monkeypatch.setattr(rotation, "_apply", interleaved)
    result = rotation.rotate_data_keys(batch_size=2, wait=True)
    keyring.keyring.clear()
    current = names()
    assert current[dossiers[1].pk] == "Edited during rotation"
    assert current[dossiers[0].pk] == "Stale writer"
    assert "Created during rotation" in current.values()
    newest = {
        keyring.keyring.active_key_id(keyring.org_scope(o.pk)) for o in [cast.acme, cast.beacon]
    }
    assert key_ids(Dossier, "name") == newest
    assert key_ids(Note, "text") <= newest
    assert old_acme_key not in newest
    assert result.raced == 1  # dossier 1, edited between read and write
    assert result.reencrypted == 10  # dossier 0 twice (final pass), 2, 3, 4 and five notes


def test_rotation_moves_a_value_into_its_own_organisations_key(dossiers):
    """A ciphertext under another organisation's key (e.g. a record moved) ends on its own."""
    acme_value = raw(Dossier, dossiers[0].pk, "name")
    Dossier.objects.filter(pk=dossiers[3].pk).update(name=Ciphertext(acme_value))
    assert rotation.reencrypt_pass(fix=False).stale[f"org:{dossiers[3].organisation_id}"] == 1
    rotation.reencrypt_pass()
    beacon_key = keyring.keyring.active_key_id(f"org:{dossiers[3].organisation_id}")
    assert keyring.key_id_of(raw(Dossier, dossiers[3].pk, "name")) == beacon_key


def test_keys_status_reports_master_and_scopes(dossiers):
    code, output = run("status")
    assert code == 0
    assert "master key id:" in output and "(current)" in output
    assert "scope org:" in output
    assert "every encrypted value is on its organisation's newest key" in output


@pytest.mark.parametrize(
    ("master_key", "message"),
    [
        (base64.b64encode(b"short").decode(), "JUSTICEWORK_MASTER_KEY must decode to 32 bytes"),
        ("not base64 at all!", "JUSTICEWORK_MASTER_KEY must be base64"),
        (None, "JUSTICEWORK_MASTER_KEY is not set"),
    ],
)
def test_settings_refuse_a_lost_or_malformed_master_key(tmp_path, master_key, message):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("JUSTICEWORK_MASTER_KEY")}
    env.update(JUSTICEWORK_DATA_DIR=str(tmp_path), JUSTICEWORK_SECRET_KEY="s" * 60)
    if master_key is not None:
        env["JUSTICEWORK_MASTER_KEY"] = master_key
    proc = subprocess.run(
        [sys.executable, "-c", "import justicework.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert message in proc.stderr


@pytest.mark.filterwarnings("ignore:No directory at")  # whitenoise: no collected static
@pytest.mark.parametrize("module", ["justicework.wsgi", "justicework.asgi"])
def test_server_entry_points_refuse_to_start_with_a_wrong_master_key(
    dossiers, settings, monkeypatch, module
):
    import importlib
    import sys

    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test transaction
    monkeypatch.delitem(sys.modules, module, raising=False)
    settings.MASTER_KEY = os.urandom(32)
    keyring.keyring.clear()
    with pytest.raises(MasterKeyMismatch, match="JUSTICEWORK_MASTER_KEY"):
        importlib.import_module(module)
    monkeypatch.delitem(sys.modules, module, raising=False)
