"""Backups in one file: the database (``pg_dump`` custom format) and the uploaded files (media).

A backup is a tar archive holding ``manifest.json`` (when, which database, the row count of each
table, each file's size and SHA-256), ``database.dump`` and ``media/...``. ``restore`` puts it back
into an empty database and an empty media folder, refusing anything else unless forced, then checks
the row counts and the files against the manifest. ``manage.py backup`` / ``manage.py restore``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import psycopg2
from psycopg2 import sql

FORMAT = 1
PREFIX = "tracker-backup-"
SUFFIX = ".tar"


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass(frozen=True)
class Database:
    """How to reach a PostgreSQL database, for libpq's programs and psycopg2."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Database:
        options = settings_dict.get("OPTIONS") or {}
        return cls(
            name=str(settings_dict["NAME"]),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            host=str(settings_dict.get("HOST") or options.get("host") or ""),
            port=str(settings_dict.get("PORT") or options.get("port") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise BackupError(f"Not a PostgreSQL URL: {parts.scheme}://…")
        query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
        return cls(
            name=unquote(parts.path.lstrip("/")),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=unquote(query.get("host", parts.hostname or "")),
            port=str(parts.port or query.get("port", "")),
        )

    def env(self) -> dict[str, str]:
        """The environment of ``pg_dump`` / ``pg_restore``: the password never on a command line."""
        given = {
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
        }
        env = {**os.environ, "PGDATABASE": self.name}
        env.update({key: value for key, value in given.items() if value})
        return env

    def connect(self) -> Any:
        kwargs = {"dbname": self.name, "user": self.user, "password": self.password}
        kwargs |= {"host": self.host, "port": self.port}
        return psycopg2.connect(**{key: value for key, value in kwargs.items() if value})

    def label(self) -> str:
        where = self.host or "local socket"
        return f"{quote(self.name)} on {where}{':' + self.port if self.port else ''}"


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def _server_major(db: Database) -> int:
    with db.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        return int(cursor.fetchone()[0])


def _tool(name: str, db: Database, env: dict[str, str]) -> str:
    """The ``pg_dump`` / ``pg_restore`` to use: the first on ``PATH`` (then Debian's
    /usr/lib/postgresql/N/bin, newest first) whose major version is the server's or newer, as
    pg_dump requires. The embedded server of ``make test`` is newer than the system's client:
    its own tools, which the launcher puts on ``PATH`` after the system's, are then taken."""
    dirs = [d for d in env.get("PATH", os.environ.get("PATH", "")).split(os.pathsep) if d]
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name))
    dirs += [str(path) for path in reversed(debian)]
    wanted = _server_major(db)
    found: list[str] = []
    for directory in dirs:
        tool = shutil.which(name, path=directory)
        if tool is None or tool in found:
            continue
        found.append(tool)
        version = subprocess.run(  # noqa: S603 (a PostgreSQL client found on PATH)
            [tool, "--version"], capture_output=True, text=True, check=False
        ).stdout
        if _major(version.partition("(PostgreSQL)")[2]) >= wanted:
            return tool
    raise BackupError(
        f"no {name} of PostgreSQL {wanted} or newer "
        f"({', '.join(found) or 'none found'}): install the PostgreSQL client "
        f"(Debian: postgresql-client-{wanted}) of the server's major version or newer."
    )


def _run(command: list[str], env: dict[str, str], db: Database) -> None:
    tool = _tool(command[0], db, env)
    done = subprocess.run(  # noqa: S603 (fixed program, arguments from us)
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def user_tables(db: Database) -> list[str]:
    """The tables of the database, outside PostgreSQL's own schemas, as schema.name."""
    with db.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' "
            "ORDER BY 1, 2"
        )
        rows = cursor.fetchall()
    conn.close()
    return [f"{schema}.{name}" for schema, name in rows]


def row_counts(db: Database) -> dict[str, int]:
    counts: dict[str, int] = {}
    tables = user_tables(db)
    with db.connect() as conn, conn.cursor() as cursor:
        for table in tables:
            schema, name = table.split(".", 1)
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(name)
                )
            )
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _media_files(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(tz=UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{PREFIX}{stamp}{SUFFIX}"


def backup(target: Path, *, db: Database, media_root: Path) -> tuple[Path, dict[str, Any]]:
    """Write one backup file. ``target`` is the file, or a folder to put a dated file in.
    Written beside its final name and renamed at the end: a backup cut short leaves no file
    that looks whole."""
    if target.is_dir():
        target = target / backup_name()
    if target.exists():
        raise BackupError(f"{target} exists: a backup never overwrites a file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as work:
        dump = Path(work) / "database.dump"
        # A consistent snapshot of the database, compressed; owners and grants are restored by
        # whoever restores (see restore()).
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}"], db.env(), db)
        files = {
            path.relative_to(media_root).as_posix(): {
                "size": path.stat().st_size,
                "sha256": _sha256(path),
            }
            for path in _media_files(media_root)
        }
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(tz=UTC).isoformat(),
            "database": db.name,
            "tables": row_counts(db),
            "media": files,
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w") as archive:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(datetime.now(tz=UTC).timestamp())
                archive.addfile(info, _bytes_io(data))
                archive.add(dump, arcname="database.dump")
                for name in files:
                    archive.add(media_root / name, arcname=f"media/{name}")
            partial.chmod(0o600)
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    return target, manifest


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups of ``folder`` beyond the newest ``keep``; returns them."""
    backups = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def _is_empty_database(db: Database) -> bool:
    return not user_tables(db)


def _is_empty_folder(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def _clear_database(db: Database) -> None:
    """Drop every schema of the database's own (and so every table) and make ``public`` again."""
    with db.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'"
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        cursor.execute("CREATE SCHEMA public")
    conn.close()


def _clear_folder(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Not a backup of this application: it has no manifest.json.")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format: {manifest.get('format')!r}.")
    return manifest


def restore(source: Path, *, db: Database, media_root: Path, force: bool = False) -> dict[str, Any]:
    """Restore a backup into ``db`` and ``media_root``. Both must be empty unless ``force``, which
    first empties them. Checks every table's row count and every file's digest afterwards."""
    if not source.is_file():
        raise BackupError(f"No such backup file: {source}")
    with tarfile.open(source, "r") as archive:
        manifest = read_manifest(archive)
        names = archive.getnames()
        if "database.dump" not in names:
            raise BackupError("The backup holds no database.dump.")
        full = [
            *([] if _is_empty_database(db) else [f"the database {db.label()} has tables"]),
            *([] if _is_empty_folder(media_root) else [f"the media folder {media_root} has files"]),
        ]
        if full and not force:
            raise BackupError(
                "Refused: "
                + " and ".join(full)
                + ". Restore into an empty database and media folder, or give --force to "
                "replace what they hold."
            )
        with tempfile.TemporaryDirectory(prefix="tracker-restore-") as work:
            archive.extract("database.dump", work, filter="data")
            if force and not _is_empty_database(db):
                _clear_database(db)
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={db.name}",
                    str(Path(work) / "database.dump"),
                ],
                db.env(),
                db,
            )
        media_root.mkdir(parents=True, exist_ok=True)
        if force:
            _clear_folder(media_root)
        for member in archive.getmembers():
            if member.name.startswith("media/") and member.isfile():
                member.name = member.name.removeprefix("media/")
                archive.extract(member, media_root, filter="data")
    return verify(manifest, db=db, media_root=media_root)


def verify(manifest: Mapping[str, Any], *, db: Database, media_root: Path) -> dict[str, Any]:
    """Compare the database's row counts and the media files with the manifest."""
    counts = row_counts(db)
    wrong_tables = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    wrong_files = [
        name
        for name, meta in manifest["media"].items()
        if not (media_root / name).is_file() or _sha256(media_root / name) != meta["sha256"]
    ]
    if wrong_tables or wrong_files:
        raise BackupError(
            f"The restored data differ from the backup: tables {wrong_tables}, files {wrong_files}"
        )
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(counts.values()),
        "files": len(manifest["media"]),
    }
