"""Full backups (database + uploaded files) and their restore, engine-independent (issue 9).

An archive is a .tar.gz holding:
- `manifest.json`: format version, created at, Django version, applied migrations per app,
  row counts per model and the sha256 of every other member;
- `db.jsonl`: one serialized object per line (Django's python serializer, JSON-encoded), model
  after model, read with `.iterator()` so a large database is never held in memory;
- `media/<path>`: every file under MEDIA_ROOT.

Primary keys are kept, so foreign keys, `object_id` text columns and anything else that quotes
an id stay valid. The exceptions are content types and permissions: `migrate` creates them in
every installation with its own ids, so they travel by natural key (as `dumpdata
--natural-primary --natural-foreign` would send them) and references to them are remapped.

Rows are loaded with `DeserializedObject.save()`, i.e. `Model.save_base(raw=True)`: model
`save()` overrides (e.g. a recorded Shortlist refusing to change) are not run. Many-to-many
links are loaded as rows of their through tables, not through `.set()`, so `m2m_changed`
guards (signed study rounds) do not fire either.
"""
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from decimal import Decimal
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT_VERSION = 1
MANIFEST, DATABASE, MEDIA = "manifest.json", "db.jsonl", "media"
CHUNK = 1000
# Created by `migrate` in every installation: matched by natural key, never compared by id.
NATURAL = (ContentType, Permission)


class BackupError(Exception):
    """A backup cannot be made or restored; the message is meant for the operator."""


# --- what gets saved ------------------------------------------------------------------------

def backup_models():
    """Every concrete model of every installed app, auto-created m2m tables included; content
    types first, then permissions, so natural keys resolve when loading."""
    found = [m for m in apps.get_models(include_auto_created=True)
             if m._meta.managed and not m._meta.proxy and m not in NATURAL]
    return [ContentType, Permission] + sorted(found, key=lambda m: m._meta.label_lower)


class _Serializer(PythonSerializer):
    """Python serializer with natural keys for content types and permissions only."""

    def __init__(self):
        super().__init__()
        self._natural_keys = {}

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        if isinstance(obj, NATURAL):
            del data["pk"]
        return data

    def handle_fk_field(self, obj, field):
        target = field.remote_field.model
        value = getattr(obj, field.attname)
        if target in NATURAL and value is not None:
            key = (target, value)
            if key not in self._natural_keys:
                self._natural_keys[key] = target._base_manager.get(pk=value).natural_key()
            self._current[field.name] = self._natural_keys[key]
        else:
            super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        pass  # saved as rows of the through table


def _json_default(value):
    # Full precision: DjangoJSONEncoder would cut datetimes to milliseconds.
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def migration_state(using=DEFAULT_DB_ALIAS):
    """Applied migration names per app, sorted."""
    state = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def media_files(root):
    """Regular files under `root`, as sorted POSIX paths relative to it."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def create_backup(path, using=DEFAULT_DB_ALIAS):
    """Write the archive to `path`; returns its manifest."""
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    counts, hashes = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DATABASE
        with transaction.atomic(using=using), open(dump, "w", encoding="utf-8") as out:
            # One transaction: on PostgreSQL a consistent snapshot of every table.
            serializer = _Serializer()
            for model in backup_models():
                queryset = model._base_manager.using(using).order_by("pk")
                count = 0
                for obj in queryset.iterator(chunk_size=CHUNK):
                    row = serializer.serialize([obj])[0]
                    out.write(json.dumps(row, default=_json_default, ensure_ascii=False))
                    out.write("\n")
                    count += 1
                counts[model._meta.label_lower] = count
            state = migration_state(using)
        hashes[DATABASE] = _sha256_file(dump)
        files = media_files(media_root)
        for rel in files:
            hashes[f"{MEDIA}/{rel}"] = _sha256_file(media_root / rel)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "engine": connections[using].vendor,
            "migrations": state,
            "rows": counts,
            "files": hashes,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DATABASE, recursive=False)
            for rel in files:
                tar.add(media_root / rel, arcname=f"{MEDIA}/{rel}", recursive=False)
        partial.replace(path)  # never a half-written archive under the final name
    return manifest


# --- checking an archive --------------------------------------------------------------------

def _safe_name(name):
    """The member's path if it stays inside the archive's root, else None."""
    if not name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if not parts or any(p in ("..", "") for p in parts):
        return None
    return PurePosixPath(*[p for p in parts if p != "."]).as_posix()


def _open(path):
    try:
        return tarfile.open(path, "r:*")
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise BackupError(f"{path} is not a backup archive ({e}).")


def check_archive(path):
    """Read the whole archive once: safe member names, a manifest, every hash right.

    Returns the manifest. Nothing is written anywhere."""
    members, digests, manifest = set(), {}, None
    try:
        with _open(path) as tar:
            for member in tar:
                name = _safe_name(member.name)
                if name is None:
                    raise BackupError(f"Refused: the archive member {member.name!r} would be "
                                      "written outside the restore folder.")
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"Refused: the archive member {member.name!r} is a link "
                                      "or a device, not a file.")
                if name in members:
                    raise BackupError(f"Refused: {name!r} appears twice in the archive.")
                members.add(name)
                digest = hashlib.sha256()
                f = tar.extractfile(member)
                if name == MANIFEST:
                    data = f.read()
                    try:
                        manifest = json.loads(data)
                    except ValueError:
                        raise BackupError("Refused: the manifest is not valid JSON.")
                else:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
                    digests[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as e:
        raise BackupError(f"Refused: the archive is damaged or truncated ({e}).")
    if manifest is None:
        raise BackupError("Refused: the archive has no manifest.json; not a workbench backup.")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Refused: unknown backup format {manifest.get('format')!r} "
                          f"(this version reads format {FORMAT_VERSION}).")
    expected = manifest.get("files") or {}
    if DATABASE not in expected:
        raise BackupError("Refused: the manifest lists no database dump.")
    missing = sorted(set(expected) - set(digests))
    if missing:
        raise BackupError(f"Refused: {len(missing)} file(s) listed in the manifest are missing "
                          f"from the archive, e.g. {missing[0]}.")
    extra = sorted(set(digests) - set(expected))
    if extra:
        raise BackupError(f"Refused: {extra[0]} is in the archive but not in the manifest.")
    for name, digest in digests.items():
        if expected[name] != digest:
            raise BackupError(f"Refused: {name} does not match its sha256 in the manifest "
                              "(damaged or altered archive).")
    for name in expected:
        if name != DATABASE and not name.startswith(f"{MEDIA}/"):
            raise BackupError(f"Refused: unexpected archive member {name!r}.")
    return manifest


def check_migrations(manifest, using=DEFAULT_DB_ALIAS):
    """The target must be at exactly the backup's migration state."""
    backup, target = manifest.get("migrations", {}), migration_state(using)
    known = set(MigrationLoader(connections[using], ignore_no_migrations=True).disk_migrations)
    for app in sorted(set(backup) | set(target)):
        ahead = sorted(set(backup.get(app, [])) - set(target.get(app, [])))
        behind = sorted(set(target.get(app, [])) - set(backup.get(app, [])))
        if ahead and all((app, name) in known for name in ahead):
            raise BackupError(f"Refused: the backup has migrations of app '{app}' this database "
                              f"has not applied ({ahead[-1]}); run `manage.py migrate` first.")
        if ahead:
            raise BackupError(f"Refused: the backup is newer than this installation (app '{app}'"
                              f", migration {ahead[-1]} is unknown here); upgrade the code first.")
        if behind:
            raise BackupError(f"Refused: the backup is older than this database (app '{app}' "
                              f"has {behind[-1]} applied, the backup has not); restore it into "
                              "an installation migrated to the backup's state.")


def data_rows(using=DEFAULT_DB_ALIAS):
    """Rows per model, except the content types and permissions `migrate` creates."""
    counts = {}
    for model in backup_models():
        if model not in NATURAL:
            n = model._base_manager.using(using).count()
            if n:
                counts[model._meta.label_lower] = n
    return counts


# --- restoring ------------------------------------------------------------------------------

def _load(stream, using):
    """Deserialize db.jsonl in chunks and save every object raw; returns rows per model."""
    loaded, chunk = {}, []

    def flush_chunk():
        for obj in serializers.deserialize("python", chunk, using=using):
            # The target holds no such row (empty or wiped): one INSERT, not UPDATE + INSERT.
            # Content types and permissions may exist already; they update by natural key.
            insert = not isinstance(obj.object, NATURAL)
            obj.save(using=using, save_m2m=False, force_insert=insert)
        chunk.clear()

    for line in io.TextIOWrapper(stream, encoding="utf-8"):
        row = json.loads(line)
        label = row["model"]
        loaded[label] = loaded.get(label, 0) + 1
        if chunk and (len(chunk) >= CHUNK or chunk[-1]["model"] != label):
            flush_chunk()
        chunk.append(row)
    if chunk:
        flush_chunk()
    return loaded


def restore_backup(path, force=False, using=DEFAULT_DB_ALIAS, stdout=None):
    """Check everything, then load the database in one transaction and put the files in place.

    Returns a summary dict. Raises BackupError (nothing written) when refused."""
    manifest = check_archive(path)
    check_migrations(manifest, using)
    existing = data_rows(using)
    media_root = Path(settings.MEDIA_ROOT)
    present = media_files(media_root)
    if not force and (existing or present):
        what = (f"{sum(existing.values())} rows in {len(existing)} tables (e.g. "
                f"{next(iter(existing))})" if existing else f"{len(present)} files in MEDIA_ROOT")
        raise BackupError(f"Refused: the target is not empty ({what}). Restore into an empty "
                          "installation, or pass --force to wipe it first.")

    connection = connections[using]
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        # Files first, into a staging folder beside MEDIA_ROOT, checked as written.
        with _open(path) as tar:
            for member in tar:
                name = _safe_name(member.name)
                if not member.isfile() or not name.startswith(f"{MEDIA}/"):
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                if _sha256_file(target) != manifest["files"][name]:
                    raise BackupError(f"Refused: {name} changed while restoring.")

        with transaction.atomic(using=using):
            if force:
                tables = connection.introspection.django_table_names(only_existing=True,
                                                                     include_views=False)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sql_flush(no_style(), tables,
                                                        reset_sequences=True,
                                                        allow_cascade=False):
                        cursor.execute(sql)
            with connection.constraint_checks_disabled(), _open(path) as tar:
                loaded = _load(tar.extractfile(tar.getmember(DATABASE)), using)
            connection.check_constraints()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), backup_models()):
                    cursor.execute(sql)
            for label, expected in manifest["rows"].items():
                model = apps.get_model(label)
                actual = model._base_manager.using(using).count()
                if model in NATURAL:
                    ok = actual >= expected  # this installation's own ones stay too
                else:
                    ok = actual == expected
                if not ok or loaded.get(label, 0) != expected:
                    raise BackupError(f"Restore undone: {label} has {actual} rows, the backup "
                                      f"{expected}.")

        # The database is committed: now swap the files in.
        if force:
            for rel in present:
                (media_root / rel).unlink()
        staged_media = staging / MEDIA
        restored = media_files(staged_media)
        for rel in restored:
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged_media / rel, target)
        for rel in restored:
            if _sha256_file(media_root / rel) != manifest["files"][f"{MEDIA}/{rel}"]:
                raise BackupError(f"{rel} differs from the backup after restoring.")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"rows": sum(manifest["rows"].values()), "models": len(manifest["rows"]),
            "files": len(restored), "created_at": manifest["created_at"],
            "engine": manifest.get("engine")}
