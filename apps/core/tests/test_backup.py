"""Backup and restore (issue 9): the demo network survives a round trip unchanged, and bad
archives or a non-empty target are refused before anything is written."""
import hashlib
import io
import json
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from apps.core.backup import NATURAL, backup_models, data_rows, media_files
from apps.core.testing import make_world
from apps.events.models import Event
from apps.proposals.models import Call, CallChange, Decision, Proposal, Shortlist
from apps.studies.models import StudyVersion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    return Path(settings.MEDIA_ROOT)


def snapshot():
    """Every row of every model (all concrete fields, by pk); content types and permissions,
    whose ids belong to the installation, by natural key, and so are references to them."""
    natural = {ContentType: {c.pk: c.natural_key() for c in ContentType.objects.all()}}
    natural[Permission] = {p.pk: p.natural_key()
                           for p in Permission.objects.select_related("content_type")}
    tables = {}
    for model in backup_models():
        fields = [f for f in model._meta.concrete_fields
                  if not (model in NATURAL and f.primary_key)]
        rows = []
        for values in model._base_manager.order_by("pk").values_list(
                *[f.attname for f in fields]):
            rows.append(tuple(natural[f.related_model][v]
                              if f.related_model in NATURAL and v is not None else v
                              for f, v in zip(fields, values)))
        tables[model._meta.label_lower] = sorted(rows, key=repr) if model in NATURAL else rows
    return tables


def media_bytes(root):
    return {rel: (root / rel).read_bytes() for rel in media_files(root)}


def wipe(media):
    call_command("flush", interactive=False, verbosity=0)
    for rel in media_files(media):
        (media / rel).unlink()


def test_demo_network_round_trip(media, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    # Rows whose save() refuses an existing pk: the restore must not go through save().
    # A proposal the demo has not decided yet (the demo's pilots come from decided ones).
    proposal = Proposal.objects.filter(decisions__isnull=True).first()
    call = Call.objects.filter(shortlist_record__isnull=True).first()
    funder = User.objects.get(username="funder")
    Shortlist.objects.create(call=call, event=Event.objects.first(), method=call.method,
                             weights={"a": 0.5}, ranking=[{"rank": 1, "total": 81.25}],
                             recorded_by=funder, note_th="บันทึก")
    Decision.objects.create(proposal=proposal, outcome=Decision.Outcome.APPROVED,
                            approved_budget=Decimal("123456.78"), decided_by=funder)
    CallChange.objects.create(call=call, proposal=proposal, by=funder,
                              action=CallChange.Action.DECIDE, before=None, after={"x": [1, 2]})
    # A signed round refuses m2m changes (m2m_changed guard); the demo signs two.
    assert StudyVersion.objects.filter(status=StudyVersion.Status.SIGNED,
                                       risks__isnull=False).exists()
    (media / "loose" / "ไฟล์.txt").parent.mkdir()
    (media / "loose" / "ไฟล์.txt").write_bytes(b"\x00\xffnot from a model")
    before, files = snapshot(), media_bytes(media)
    assert len(files) >= 2

    archive = tmp_path / "demo.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    wipe(media)
    assert data_rows() == {} and media_files(media) == []

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert media_bytes(media) == files

    # Sequences follow the restored ids: new rows get fresh pks.
    user = User.objects.create_user("after-restore")
    assert user.pk > max(r[0] for r in before["auth.user"])

    # A second restore into the now full installation is refused, with --force it replaces.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert snapshot() == before
    assert media_bytes(media) == files


# --- refusals: nothing is written -----------------------------------------------------------

@pytest.fixture
def small_backup(media, tmp_path):
    """A backup of a small world with one uploaded file; the installation is then emptied."""
    make_world()
    (media / "docs").mkdir()
    (media / "docs" / "a.txt").write_text("evidence")
    archive = tmp_path / "small.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    wipe(media)
    return archive


def rewrite(archive, target, change):
    """Copy `archive` to `target`, `change(name, data)` returning new (name, data) or None."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            changed = change(member.name, data)
            if changed is None:
                continue
            info = tarfile.TarInfo(changed[0])
            info.size = len(changed[1])
            dst.addfile(info, io.BytesIO(changed[1]))
    return target


def assert_refused(archive, media, match, *args):
    before_rows, before_files = data_rows(), media_bytes(media)
    parent = media.parent
    before_dirs = sorted(p.name for p in parent.iterdir())
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(archive), *args)
    assert data_rows() == before_rows
    assert media_bytes(media) == before_files
    assert sorted(p.name for p in parent.iterdir()) == before_dirs  # no staging left
    assert not Path("/tmp/passwd-from-backup").exists()


def test_small_backup_restores(small_backup, media):
    call_command("restore", str(small_backup), stdout=io.StringIO())
    assert (media / "docs" / "a.txt").read_text() == "evidence"
    assert data_rows()


def test_non_empty_target_refused_without_force(small_backup, media):
    make_world()
    assert_refused(small_backup, media, "not empty")


def test_files_in_media_root_count_as_data(small_backup, media):
    (media / "other.txt").write_text("someone's upload")
    assert_refused(small_backup, media, "not empty")


def test_migration_state_must_match(small_backup, media, tmp_path):
    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["proposals"].append("9999_from_the_future")
            data = json.dumps(manifest).encode()
        return name, data
    assert_refused(rewrite(small_backup, tmp_path / "newer.tar.gz", newer), media,
                   "backup is newer.*'proposals'")

    def older(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["proposals"].pop()
            data = json.dumps(manifest).encode()
        return name, data
    assert_refused(rewrite(small_backup, tmp_path / "older.tar.gz", older), media,
                   "older.*'proposals'")


@pytest.mark.parametrize("evil", ["../../tmp/passwd-from-backup", "/tmp/passwd-from-backup",
                                  "media/../../passwd-from-backup"])
def test_path_traversal_member_refused(small_backup, media, tmp_path, evil):
    def add(name, data):
        return name, data
    target = rewrite(small_backup, tmp_path / "evil.tar.gz", add)
    # Re-pack with the evil member first, before anything legitimate.
    with tarfile.open(target) as src:
        members = [(m.name, src.extractfile(m).read()) for m in src.getmembers()]
    with tarfile.open(target, "w:gz") as dst:
        for name, data in [(evil, b"root:x:0:0")] + members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    assert_refused(target, media, "outside the restore folder")


def test_symlink_member_refused(small_backup, media, tmp_path):
    target = rewrite(small_backup, tmp_path / "link.tar.gz", lambda n, d: (n, d))
    with tarfile.open(target) as src:
        members = [(m.name, src.extractfile(m).read()) for m in src.getmembers()]
    with tarfile.open(target, "w:gz") as dst:
        link = tarfile.TarInfo("media/docs/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        dst.addfile(link)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    assert_refused(target, media, "link or a device")


def test_hash_mismatch_refused(small_backup, media, tmp_path):
    def tamper(name, data):
        return name, (b"forged" if name == "media/docs/a.txt" else data)
    assert_refused(rewrite(small_backup, tmp_path / "forged.tar.gz", tamper), media,
                   "media/docs/a.txt does not match its sha256")

    def tamper_db(name, data):
        # Still valid JSON, one more space: only the hash can tell.
        return name, (data.replace(b'"fields": ', b'"fields":  ', 1) if name == "db.jsonl"
                      else data)
    forged = rewrite(small_backup, tmp_path / "forged-db.tar.gz", tamper_db)
    assert_refused(forged, media, "db.jsonl does not match its sha256")


def test_truncated_archive_refused(small_backup, media, tmp_path):
    data = small_backup.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    assert_refused(truncated, media, "damaged or truncated")


def test_not_an_archive_and_missing_manifest_refused(small_backup, media, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    assert_refused(text, media, "not a backup archive")
    no_manifest = rewrite(small_backup, tmp_path / "nomanifest.tar.gz",
                          lambda n, d: None if n == "manifest.json" else (n, d))
    assert_refused(no_manifest, media, "no manifest")
    missing_file = rewrite(small_backup, tmp_path / "missing.tar.gz",
                           lambda n, d: None if n == "media/docs/a.txt" else (n, d))
    assert_refused(missing_file, media, "missing from the archive")


def test_failed_load_leaves_database_unchanged(small_backup, media, tmp_path):
    """A row count that cannot be met undoes the whole load (one transaction)."""
    def lie(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["rows"]["networks.network"] += 1
            data = json.dumps(manifest).encode()
        return name, data
    assert_refused(rewrite(small_backup, tmp_path / "lie.tar.gz", lie), media,
                   "Restore undone: networks.network")


def test_manifest_records_hashes_and_state(small_backup):
    with tarfile.open(small_backup) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        db = tar.extractfile("db.jsonl").read()
    assert manifest["files"]["db.jsonl"] == hashlib.sha256(db).hexdigest()
    assert manifest["files"]["media/docs/a.txt"] == hashlib.sha256(b"evidence").hexdigest()
    assert manifest["rows"]["networks.network"] == 2
    assert "proposals" in manifest["migrations"] and manifest["django"]
