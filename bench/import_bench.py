"""Measure the UHRI import against its floors: wall time and peak memory, one subprocess a step.

    python bench/import_bench.py [--records 268000] [--feed PATH] [--country ISO3|largest|median]
                                 [--profile cprofile|py-spy] [--keep-db]

Steps (each in its own process, so that the peak resident memory is that step's):

1. parse floor: ijson (C backend) items over the file, counting records per State;
   also the importer's own reader (``readers.read_json``) over the same file, for comparison;
2. COPY floor: the same rows the import writes (document, recommendation with its raw record,
   English text, links to themes, groups, SDG targets and recommending States), built in Python
   with no validation or sanitising, COPied in batches of 2,000 into scratch tables created
   ``LIKE <ours> INCLUDING ALL`` (same indexes, the generated search vector and its GIN index;
   no audit triggers, no foreign keys). ``copy_floor_s`` is the time spent in COPY and commit;
   ``parse_copy_floor_s`` the whole process (parse, build rows, COPY);
3. one State imported from the full file into an empty database (``manage.py import_uhri FILE
   --country XXX``): by default the State with the most records; then the same State from a feed
   of its own records alone (the import of its rows, without the others' to pass over), and the
   State with the median number of records from the full file;
4. all records imported into an empty database;
5. all records imported again, unchanged: rows written (``n_tup_ins + n_tup_upd + n_tup_del`` of
   ``pg_stat_user_tables``, import bookkeeping tables excepted) and audit events (rows of the
   pghistory event tables and contexts) are counted before and after.

The database is ``<name>_bench`` next to ``DATABASE_URL`` (default: ``tracker_bench`` on
postgres@127.0.0.1:5432). It is dropped and created, migrated, loaded with the reference data and
kept as a template (``<name>_bench_template``) so that steps 3 and 4 both start from an empty
database. Everything in it is lost on the next run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / ".data" / "bench"
PYTHON = sys.executable
TIME = Path("/usr/bin/time")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker"
BATCH = 2000  # the importer's batch size
BOOKKEEPING = [
    "recommendations_importrun",
    "recommendations_importissue",
    "recommendations_importchange",
]
# Scratch copies for the COPY floor: our table -> the columns the floor writes.
FLOOR_TABLES = {
    "recommendations_document": [
        "id", "symbol", "uhri_document_id", "title", "publication_date", "languages",
        "country_id", "mechanism_id",
    ],
    "recommendations_recommendation": [
        "id", "created_at", "updated_at", "annotation_id", "paragraph", "paragraph_sort",
        "annotation_type", "position", "position_source", "priority", "status",
        "status_override_reason", "national_notes", "is_current", "publication_state",
        "raw_record", "version", "document_id", "content_hash",
    ],
    "recommendations_recommendationtext": [
        "recommendation_id", "language", "text", "html", "source", "content_hash",
    ],
    "recommendations_recommendation_themes": ["recommendation_id", "theme_id"],
    "recommendations_recommendation_affected_groups": ["recommendation_id", "affectedgroup_id"],
    "recommendations_recommendation_sdg_targets": ["recommendation_id", "sdgtarget_id"],
    "recommendations_recommendation_recommending_states": ["recommendation_id", "country_id"],
}  # fmt: skip
FLOOR_PREFIX = "bench_floor_"
# Logs and profiles of this run, apart from those of any other run going on at the same time.
CODE_AT_START = ""  # set by run()
RUN_DIR = BENCH_DIR / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"


# -- the database ------------------------------------------------------------------------------


@dataclass
class BenchDatabase:
    """The bench database and its template, on the server of ``DATABASE_URL``."""

    url: str

    @classmethod
    def from_environment(cls) -> BenchDatabase:
        parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
        name = parts.path.lstrip("/") or "tracker"
        bench = name if name.endswith("_bench") else f"{name}_bench"
        return cls(urlunsplit(parts._replace(path="/" + bench)))

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")

    @property
    def template(self) -> str:
        return f"{self.name}_template"

    def dsn(self, database: str | None = None) -> str:
        """A libpq URI (psycopg2 does not know django-environ's scheme aliases)."""
        parts = urlsplit(self.url)
        path = "/" + (database or self.name)
        return urlunsplit(parts._replace(scheme="postgresql", path=path))

    def connect(self, database: str | None = None) -> Any:
        import psycopg2

        connection = psycopg2.connect(self.dsn(database))
        connection.autocommit = True
        return connection

    def admin(self, *statements: str) -> None:
        with (
            contextlib.closing(self.connect("postgres")) as connection,
            connection.cursor() as cursor,
        ):
            for statement in statements:
                cursor.execute(statement)

    def recreate(self, template: str | None = None) -> None:
        suffix = f' TEMPLATE "{template}"' if template else ""
        self.admin(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
            f'CREATE DATABASE "{self.name}"{suffix}',
        )

    def save_template(self) -> None:
        self.admin(
            f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
            f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"',
        )

    def drop_template(self) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    def execute(self, *statements: str, params: Any = None) -> list[Any]:
        """Run the statements in autocommit; the rows of the last one."""
        with contextlib.closing(self.connect()) as connection, connection.cursor() as cursor:
            rows: list[Any] = []
            for statement in statements:
                cursor.execute(statement, params)
                rows = cursor.fetchall() if cursor.description else []
            return rows

    def rows_written(self) -> dict[str, int]:
        """Inserted + updated + deleted tuples per table since the database was created."""
        rows = self.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables "
            "WHERE schemaname = 'public' AND relname <> ALL (%s)",
            params=[BOOKKEEPING],
        )
        return dict(rows)

    def settled_rows_written(self) -> dict[str, int]:
        """The counters once the last backend's statistics are flushed (they are at its exit)."""
        previous = self.rows_written()
        for _ in range(20):
            time.sleep(0.5)
            current = self.rows_written()
            if current == previous:
                return current
            previous = current
        return previous

    def audit_events(self) -> int:
        tables = self.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'pgh_id' ORDER BY table_name"
        )
        names = [row[0] for row in tables] + ["pghistory_context"]
        counts = " + ".join(f'(SELECT count(*) FROM "{name}")' for name in names)  # noqa: S608
        return int(self.execute(f"SELECT {counts}")[0][0])

    def last_run(self) -> dict[str, int]:
        columns = ["created", "updated", "unchanged", "withdrawn", "rejected", "skipped"]
        rows = self.execute(
            f"SELECT {', '.join(columns)} FROM recommendations_importrun ORDER BY id DESC LIMIT 1"  # noqa: S608
        )
        return dict(zip(columns, rows[0], strict=True)) if rows else {}

    def last_run_seconds(self) -> float:
        """The last run's own time, from its start to its end (no process start-up)."""
        rows = self.execute(
            "SELECT extract(epoch FROM finished_at - started_at) FROM recommendations_importrun "
            "ORDER BY id DESC LIMIT 1"
        )
        return float(rows[0][0]) if rows and rows[0][0] is not None else float("nan")


# -- measuring a subprocess --------------------------------------------------------------------


@dataclass
class Measured:
    name: str
    wall_s: float
    peak_mb: float
    stdout: str
    extra: dict[str, Any] = field(default_factory=dict)


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run ``command``; its wall time and peak RSS (``/usr/bin/time -v``, else ``wait4``)."""
    logs = RUN_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path, time_path = (logs / f"{name}.{ext}" for ext in ("out", "err", "time"))
    if others := other_runs():
        print(f"warning_concurrent_{name}=" + json.dumps(others), flush=True)
    if (fingerprint := code_fingerprint()) != CODE_AT_START:
        print(f"warning_code_changed_before_{name}={fingerprint}", flush=True)
    use_time = TIME.exists()
    full = [str(TIME), "-v", "-o", str(time_path), *command] if use_time else command
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=BASE_DIR)  # noqa: S603
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"step {name} failed (exit {process.returncode}): see {err_path}\n"
            + err_path.read_text()[-3000:]
        )
    peak_kb = usage.ru_maxrss
    if use_time:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_path.read_text())
        if found:
            peak_kb = int(found.group(1))
    return Measured(name, wall, peak_kb / 1024, out_path.read_text())


def _ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    return pids


def other_runs() -> list[str]:
    """Other imports, benches or test runs going on now (Linux): they would skew the figures."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    mine = _ancestors()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(
            word in command for word in ("import_uhri", "bench/run.py", "import_bench.py", "pytest")
        ):
            found.append(f"{entry.name}:{' '.join(command.split())[:100]}")
    return found


# The importer's code and the data it reads (glob patterns, relative to the project).
CODE_FILES = [
    "recommendations/importers/*.py",
    "recommendations/services/imports.py",
    "recommendations/models/*.py",
    "recommendations/management/commands/import_uhri.py",
    "tracker/reference_data/country_aliases.csv",
    "tracker/settings/base.py",
]


def code_fingerprint() -> str:
    """Digest of the importer's code: a change during a run makes its figures incomparable."""
    digest = hashlib.md5(usedforsecurity=False)
    for pattern in CODE_FILES:
        for path in sorted(BASE_DIR.glob(pattern)) or [BASE_DIR / pattern]:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:12]


def code_version() -> str:
    try:
        head = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head = "unknown"
    return head


def django_env(db: BenchDatabase) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db.url,
        "DJANGO_SETTINGS_MODULE": "tracker.settings.local",
        "DJANGO_DEBUG": "false",  # production-like: no query log
        "PYTHONUNBUFFERED": "1",
    }


def manage(db: BenchDatabase, *args: str) -> None:
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=django_env(db),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def profiled(command: list[str], step: str, profile: str | None) -> list[str]:
    """The command under cProfile or py-spy (which slow it down: figures are then indicative)."""
    if not profile:
        return command
    target = RUN_DIR / "profiles"
    target.mkdir(parents=True, exist_ok=True)
    if profile == "cprofile":
        return [command[0], "-m", "cProfile", "-o", str(target / f"{step}.prof"), *command[1:]]
    py_spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    output = target / f"{step}.pyspy.txt"
    return [
        py_spy,
        "record",
        "--idle",
        "--format",
        "raw",
        "-r",
        "200",
        "-o",
        str(output),
        "--",
        *command,
    ]


# -- child steps (run as ``import_bench.py --child STEP FEED``) ---------------------------------


def child_parse(feed: Path) -> dict[str, Any]:
    import ijson

    countries: dict[str, int] = {}
    count = 0
    started = time.perf_counter()
    with feed.open("rb") as stream:
        for record in ijson.items(stream, "item", use_float=True):
            count += 1
            for name in record.get("Countries") or ():
                countries[name] = countries.get(name, 0) + 1
    return {"records": count, "seconds": time.perf_counter() - started, "countries": countries}


def child_reader(feed: Path, iso3: str = "") -> dict[str, Any]:
    """The importer's reader over the feed; with ``iso3``, as a one-country import reads it."""
    sys.path.insert(0, str(BASE_DIR))
    from recommendations.importers.readers import Skipped, read_json

    known = iso3_by_name()

    def wanted(value: Any) -> bool:
        names = value if isinstance(value, list) else [value]
        return not value or any(known.get(str(name).casefold()) == iso3 for name in names)

    count = kept = 0
    started = time.perf_counter()
    with feed.open("rb") as stream:
        for _row, record in read_json(stream, wanted=wanted if iso3 else None):
            if isinstance(record, Skipped):
                count += record.count
            else:
                count += 1
                kept += 1
    return {"records": count, "kept": kept, "seconds": time.perf_counter() - started}


TAG = re.compile(r"<[^>]+>")
LEADING_NUMBER = re.compile(r"\s*(\d{1,3}(?:\.\d{1,3})*)")
DIGITS = re.compile(r"\d+")


def _copy_field(value: Any) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def child_copy(feed: Path, dsn: str) -> dict[str, Any]:
    """Parse, build the rows plainly, COPY them in batches; time the COPY part on its own."""
    import ijson
    import psycopg2

    connection = psycopg2.connect(dsn)
    cursor = connection.cursor()
    cursor.execute("SELECT lower(name), id FROM recommendations_theme")
    themes = dict(cursor.fetchall())
    cursor.execute("SELECT lower(name), id FROM recommendations_affectedgroup")
    groups = dict(cursor.fetchall())
    cursor.execute("SELECT code, id FROM recommendations_sdgtarget")
    targets = dict(cursor.fetchall())
    cursor.execute("SELECT names->>'en', id FROM tracker_country")
    countries = dict(cursor.fetchall())
    cursor.execute("SELECT code, id FROM recommendations_mechanism")
    mechanisms = dict(cursor.fetchall())
    connection.commit()
    fallback_mechanism = min(mechanisms.values())
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())

    buffers = {table: io.StringIO() for table in FLOOR_TABLES}
    documents: dict[str, int] = {}
    counts = dict.fromkeys(FLOOR_TABLES, 0)
    by_table = dict.fromkeys([*FLOOR_TABLES, "commit"], 0.0)
    copy_seconds = 0.0
    started = time.perf_counter()

    def line(table: str, values: list[Any]) -> None:
        buffers[table].write("\t".join(_copy_field(v) for v in values) + "\n")
        counts[table] += 1

    def flush() -> None:
        nonlocal copy_seconds
        began = time.perf_counter()
        for table, columns in FLOOR_TABLES.items():
            buffer = buffers[table]
            if buffer.tell():
                buffer.seek(0)
                table_began = time.perf_counter()
                cursor.copy_expert(
                    f"COPY {FLOOR_PREFIX}{table} ({', '.join(columns)}) FROM STDIN", buffer
                )
                by_table[table] += time.perf_counter() - table_began
            buffers[table] = io.StringIO()
        commit_began = time.perf_counter()
        connection.commit()
        by_table["commit"] += time.perf_counter() - commit_began
        copy_seconds += time.perf_counter() - began

    rec_id = 0
    with feed.open("rb") as stream:
        for raw in ijson.items(stream, "item", use_float=True):
            rec_id += 1
            names = raw.get("Countries") or []
            symbol = raw.get("Symbol") or ""
            if symbol not in documents:
                documents[symbol] = len(documents) + 1
                line(
                    "recommendations_document",
                    [
                        documents[symbol], symbol, raw.get("DocumentId"), "",
                        (raw.get("PublicationDate") or "")[:10] or None, "[]",
                        countries.get(names[0]) if names else None,
                        mechanisms.get(raw.get("Body"), fallback_mechanism),
                    ],
                )  # fmt: skip
            source = raw.get("Text") or ""
            safe = source.replace("&nbsp;", " ")
            text = html.unescape(TAG.sub(" ", safe)).strip()
            found = LEADING_NUMBER.match(text)
            paragraph = found.group(1) if found else ""
            raw_json = json.dumps(raw, ensure_ascii=False)
            kind = raw.get("AnnotationType") or ""
            line(
                "recommendations_recommendation",
                [
                    rec_id, now, now, raw.get("AnnotationId"), paragraph,
                    DIGITS.sub(lambda m: m.group().zfill(6), paragraph),
                    "concern" if kind.startswith("Concern") else "recommendation",
                    (raw.get("UprPosition") or "").lower(), "", "", "not_started", "", "",
                    "t", "published", raw_json, 1, documents[symbol],
                    hashlib.md5(raw_json.encode(), usedforsecurity=False).hexdigest(),
                ],
            )  # fmt: skip
            digest = hashlib.md5(safe.encode(), usedforsecurity=False).hexdigest()
            line(
                "recommendations_recommendationtext",
                [rec_id, "en", text, safe, "official", digest],
            )
            for label in raw.get("Themes") or ():
                if (theme := themes.get(label.lower())) is not None:
                    line("recommendations_recommendation_themes", [rec_id, theme])
            for label in raw.get("AffectedPersons") or ():
                if (group := groups.get(label.lower())) is not None:
                    line("recommendations_recommendation_affected_groups", [rec_id, group])
            for label in raw.get("Sdgs") or ():
                if (target := targets.get(label.split(" ", 1)[0])) is not None:
                    line("recommendations_recommendation_sdg_targets", [rec_id, target])
            for label in raw.get("UprRecommendingStates") or ():
                if (state := countries.get(label)) is not None:
                    line("recommendations_recommendation_recommending_states", [rec_id, state])
            if rec_id % BATCH == 0:
                flush()
    flush()
    connection.close()
    return {
        "records": rec_id,
        "seconds": time.perf_counter() - started,
        "copy_seconds": copy_seconds,
        "copy_seconds_by_table": {table: round(v, 2) for table, v in by_table.items()},
        "rows": counts,
    }


def child_extract(feed: Path, iso3: str, out: str) -> dict[str, Any]:
    """Write the records that name the State (``iso3``) into a feed of their own."""
    import ijson

    known = iso3_by_name()
    count = 0
    with feed.open("rb") as stream, Path(out).open("w", encoding="utf-8") as target:
        target.write("[\n")
        for record in ijson.items(stream, "item", use_float=True):
            names = record.get("Countries") or ()
            if any(known.get(str(name).casefold()) == iso3 for name in names):
                target.write(",\n" if count else "")
                target.write(json.dumps(record, ensure_ascii=False))
                count += 1
        target.write("\n]\n")
    return {"records": count}


# Spanish sentences for the second language's feed: the texts of the same records, of about the
# same length, with the same paragraph numbers (what a UHRI export in Spanish differs in).
SPANISH_SENTENCES = (
    "El Comité recomienda que el Estado parte vele por el pleno respeto de los derechos humanos",
    "adopte todas las medidas necesarias para garantizar el acceso a la justicia",
    "refuerce la protección de los niños y las niñas contra todas las formas de violencia",
    "establezca un mecanismo independiente para investigar las denuncias de tortura",
    "garantice la igualdad de acceso a una educación de calidad en las zonas rurales",
    "proporcione recursos suficientes a la institución nacional de derechos humanos",
    "ratifique el Protocolo Facultativo de la Convención y armonice su legislación",
    "asegure la participación de la sociedad civil en el seguimiento de las recomendaciones",
)
LEADING_NUMBER = re.compile(r"^\s*(?:<p>)?\s*(?:<strong>[^<]*</strong></p>\s*<p>)?\s*([\d.()a-z]+)")


def child_translate(feed: Path, out: str) -> dict[str, Any]:
    """Write the feed's records with Spanish texts (same ids, fields and paragraph numbers), as a
    UHRI export in a second language would come."""
    import ijson

    count = 0
    with feed.open("rb") as stream, Path(out).open("w", encoding="utf-8") as target:
        target.write("[\n")
        for record in ijson.items(stream, "item", use_float=True):
            text = str(record.get("Text") or "")
            match = LEADING_NUMBER.match(text)
            number = match.group(1) if match else ""
            length = len(text)
            words: list[str] = []
            i = count
            while sum(len(w) + 2 for w in words) < length * 0.9:
                words.append(SPANISH_SENTENCES[i % len(SPANISH_SENTENCES)])
                i += 3
            record["Text"] = f"<p>{number}&nbsp;{', '.join(words)}.</p>"
            target.write(",\n" if count else "")
            target.write(json.dumps(record, ensure_ascii=False))
            count += 1
        target.write("\n]\n")
    return {"records": count}


CHILDREN: dict[str, Callable[..., Any]] = {
    "parse": child_parse,
    "reader": child_reader,
    "copy": child_copy,
    "extract": child_extract,
    "translate": child_translate,
}


def child_main(step: str, feed: str, *args: str) -> int:
    result = CHILDREN[step](Path(feed), *args)
    print(json.dumps(result))
    return 0


# -- the run ------------------------------------------------------------------------------------


def default_feed(records: int) -> Path:
    return BENCH_DIR / f"uhri-{records}.json"


def ensure_feed(path: Path, records: int) -> None:
    if path.exists():
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate_feed import generate

    print(f"generating {records:,} records into {path} ...", file=sys.stderr)
    generate(records, path)


def iso3_by_name() -> dict[str, str]:
    """Country names (every language) and codes -> ISO alpha-3, from the shipped reference data."""
    names: dict[str, str] = {}
    path = BASE_DIR / "tracker" / "reference_data" / "countries.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for key, value in row.items():
                if key.startswith("name_") or key in {"iso3", "iso2"}:
                    names.setdefault(value.casefold(), row["iso3"])
    return names


def pick_country(counts: dict[str, int], choice: str) -> tuple[str, int, str]:
    """(ISO3, records, why) for the one-country step."""
    by_iso3: dict[str, int] = {}
    known = iso3_by_name()
    for name, count in counts.items():
        if iso3 := known.get(name.casefold()):
            by_iso3[iso3] = by_iso3.get(iso3, 0) + count
    ranked = sorted(by_iso3.items(), key=lambda item: (-item[1], item[0]))
    if choice == "largest":
        return (*ranked[0], "the State with the most records")
    if choice == "median":
        return (*ranked[len(ranked) // 2], "the State with the median number of records")
    iso3 = choice.upper()
    return iso3, by_iso3.get(iso3, 0), "chosen on the command line"


def child_command(step: str, feed: Path, *args: str) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "--child", step, str(feed), *args]


def result_of(measured: Measured) -> dict[str, Any]:
    return json.loads(measured.stdout.strip().splitlines()[-1])


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}" if floor else "n/a"


def import_one_country(
    db: BenchDatabase, feed: Path, iso3: str, step: str, profile: str | None
) -> Measured:
    """``manage.py import_uhri FEED --country ISO3`` into an empty database."""
    db.recreate(template=db.template)
    db.execute("CHECKPOINT")
    command = [PYTHON, "manage.py", "import_uhri", str(feed), "--country", iso3]
    return measure(step, profiled(command, step, profile), django_env(db))


def run(args: argparse.Namespace) -> int:
    feed = Path(args.feed) if args.feed else default_feed(args.records)
    ensure_feed(feed, args.records)
    db = BenchDatabase.from_environment()

    def say(line: str) -> None:
        print(line, flush=True)

    global CODE_AT_START
    CODE_AT_START = code_fingerprint()
    say(f"run_dir={RUN_DIR}")
    say(f"code={code_version()} importer_fingerprint={CODE_AT_START}")
    say(f"feed={feed} size_mb={feed.stat().st_size / 1e6:.0f}")
    say(f"database={db.name} (template {db.template})")

    # Setup (not measured): a migrated database with the reference data, kept as a template.
    db.recreate()
    manage(db, "migrate", "--noinput")
    manage(db, "load_reference_data")
    db.save_template()
    peaks: dict[str, float] = {}

    def checkpoint() -> None:
        db.execute("CHECKPOINT")

    # 1. Parse floor, and the importer's reader alone.
    checkpoint()
    parse = measure("parse_floor", child_command("parse", feed))
    parsed = result_of(parse)
    peaks["parse_floor"] = parse.peak_mb
    say(f"records={parsed['records']}")
    say(f"parse_floor_s={parse.wall_s:.2f}")
    reader = measure("parse_reader", child_command("reader", feed))
    peaks["parse_reader"] = reader.peak_mb
    say(f"parse_reader_s={reader.wall_s:.2f} ratio={ratio(reader.wall_s, parse.wall_s)}")

    # 2. COPY floor into scratch tables shaped like ours.
    db.execute(
        *(
            f"DROP TABLE IF EXISTS {FLOOR_PREFIX}{table}; "
            f"CREATE TABLE {FLOOR_PREFIX}{table} (LIKE {table} INCLUDING ALL)"
            for table in FLOOR_TABLES
        )
    )
    checkpoint()
    copy = measure("copy_floor", child_command("copy", feed, db.dsn()))
    copied = result_of(copy)
    peaks["copy_floor"] = copy.peak_mb
    db.execute(*(f"DROP TABLE {FLOOR_PREFIX}{table}" for table in FLOOR_TABLES))
    copy_floor = copied["copy_seconds"]
    floor_all = parse.wall_s + copy_floor
    say(f"copy_floor_s={copy_floor:.2f}")
    say(f"parse_copy_floor_s={copy.wall_s:.2f}")
    short = {k: k.removeprefix("recommendations_") for k in copied["rows"]}
    say("copy_floor_rows=" + json.dumps({short[k]: v for k, v in copied["rows"].items()}))
    say(
        "copy_floor_s_by_table="
        + json.dumps({short.get(k, k): v for k, v in copied["copy_seconds_by_table"].items()})
    )

    # 3. One State into an empty database: the chosen one (by default the largest), the median
    # one, and the chosen one again from a feed of its own records (what remains without the
    # others': the import of the State's own rows).
    iso3, count, why = pick_country(parsed["countries"], args.country)
    one = import_one_country(db, feed, iso3, "one_country", args.profile)
    peaks["one_country"] = one.peak_mb
    say(f"one_country={iso3} records={count} ({why})")
    say(f"one_country_s={one.wall_s:.2f} ratio={ratio(one.wall_s, parse.wall_s)}")
    # The State's rows cost their own writes: its aim adds its share of the COPY floor (the whole
    # floor process, parse and COPY of every record) to the parse floor.
    one_floor = parse.wall_s + copy.wall_s * count / max(parsed["records"], 1)
    say(
        f"one_country_floor_s={one_floor:.2f} ratio={ratio(one.wall_s, one_floor)} "
        f"(parse_floor_s + parse_copy_floor_s x {count}/{parsed['records']} records)"
    )
    say(f"one_country_run={json.dumps(db.last_run())}")
    say(f"one_country_in_run_s={db.last_run_seconds():.2f}")
    reader_one = measure("parse_reader_one_country", child_command("reader", feed, iso3))
    say(
        f"parse_reader_one_country_s={reader_one.wall_s:.2f} "
        f"ratio={ratio(reader_one.wall_s, parse.wall_s)} "
        f"kept={result_of(reader_one)['kept']}"
    )
    alone_feed = RUN_DIR / f"only-{iso3}.json"
    measure("extract", child_command("extract", feed, iso3, str(alone_feed)))
    alone = import_one_country(db, alone_feed, iso3, "one_country_alone", args.profile)
    alone_feed.unlink()
    say(
        f"one_country_alone_s={alone.wall_s:.2f} ratio={ratio(alone.wall_s, parse.wall_s)} "
        f"(the same {count} records from a feed of their own)"
    )
    say(f"one_country_alone_in_run_s={db.last_run_seconds():.2f}")
    median_iso3, median_count, _why = pick_country(parsed["countries"], "median")
    median = import_one_country(db, feed, median_iso3, "one_country_median", args.profile)
    peaks["one_country_median"] = median.peak_mb
    say(f"one_country_median={median_iso3} records={median_count}")
    say(f"one_country_median_s={median.wall_s:.2f} ratio={ratio(median.wall_s, parse.wall_s)}")
    say(f"one_country_median_in_run_s={db.last_run_seconds():.2f}")

    # 4. Everything into an empty database.
    db.recreate(template=db.template)
    checkpoint()
    command = [PYTHON, "manage.py", "import_uhri", str(feed)]
    first = measure("all_records", profiled(command, "all_records", args.profile), django_env(db))
    peaks["all_records"] = first.peak_mb
    say(f"all_records_s={first.wall_s:.2f} ratio={ratio(first.wall_s, floor_all)}")
    say(f"all_records_run={json.dumps(db.last_run())}")
    say(f"all_records_in_run_s={db.last_run_seconds():.2f}")

    # 5. Everything again, unchanged (after the vacuum that autovacuum would have run by then).
    db.execute("VACUUM (ANALYZE)")
    checkpoint()
    before_rows, before_events = db.settled_rows_written(), db.audit_events()
    again = measure("reimport", profiled(command, "reimport", args.profile), django_env(db))
    peaks["reimport"] = again.peak_mb
    after_rows, after_events = db.settled_rows_written(), db.audit_events()
    written = {
        table: after_rows.get(table, 0) - before_rows.get(table, 0)
        for table in after_rows
        if after_rows.get(table, 0) != before_rows.get(table, 0)
    }
    say(f"reimport_s={again.wall_s:.2f} ratio_to_first={ratio(again.wall_s, first.wall_s)}")
    say(f"reimport_run={json.dumps(db.last_run())}")
    say(f"reimport_in_run_s={db.last_run_seconds():.2f}")
    say(f"rows_written_on_reimport={sum(written.values())}")
    if written:
        say(f"rows_written_by_table={json.dumps(written)}")
    say(f"audit_events_on_reimport={after_events - before_events}")

    # 6. The same records in a second language (Spanish), into the database of steps 4-5: it adds
    # one text per record and nothing else; then again, unchanged.
    spanish_feed = feed.with_name(f"{feed.stem}-es.json")
    if not spanish_feed.exists() or spanish_feed.stat().st_mtime < feed.stat().st_mtime:
        measure("translate", child_command("translate", feed, str(spanish_feed)))
    spanish_command = [PYTHON, "manage.py", "import_uhri", str(spanish_feed), "--language", "es"]
    db.execute("VACUUM (ANALYZE)")
    checkpoint()
    second = measure(
        "second_language",
        profiled(spanish_command, "second_language", args.profile),
        django_env(db),
    )
    peaks["second_language"] = second.peak_mb
    say(
        f"second_language_s={second.wall_s:.2f} ratio_to_first={ratio(second.wall_s, first.wall_s)}"
    )
    say(f"second_language_run={json.dumps(db.last_run())}")
    say(f"second_language_in_run_s={db.last_run_seconds():.2f}")
    db.execute("VACUUM (ANALYZE)")
    checkpoint()
    before_rows2, before_events2 = db.settled_rows_written(), db.audit_events()
    second_again = measure(
        "second_language_reimport",
        profiled(spanish_command, "second_language_reimport", args.profile),
        django_env(db),
    )
    peaks["second_language_reimport"] = second_again.peak_mb
    after_rows2, after_events2 = db.settled_rows_written(), db.audit_events()
    second_written = {
        table: after_rows2.get(table, 0) - before_rows2.get(table, 0)
        for table in after_rows2
        if after_rows2.get(table, 0) != before_rows2.get(table, 0)
    }
    say(
        f"second_language_reimport_s={second_again.wall_s:.2f} "
        f"ratio_to_second={ratio(second_again.wall_s, second.wall_s)}"
    )
    say(f"second_language_reimport_run={json.dumps(db.last_run())}")
    say(f"rows_written_on_second_language_reimport={sum(second_written.values())}")
    if second_written:
        say(f"second_language_rows_written_by_table={json.dumps(second_written)}")
    say(f"audit_events_on_second_language_reimport={after_events2 - before_events2}")

    for step, peak in peaks.items():
        say(f"peak_rss_mb_{step}={peak:.0f}")
    if code_fingerprint() != CODE_AT_START:
        say("warning_code_changed_during_run=the importer's code changed: rerun for figures")

    # The aims of the issue.
    aims = {
        "aim_one_country_le_1.5x_parse_plus_share": one.wall_s <= 1.5 * one_floor,
        "aim_one_country_median_le_1.5x_parse": median.wall_s <= 1.5 * parse.wall_s,
        "aim_all_records_le_2x_parse_plus_copy": first.wall_s <= 2 * floor_all,
        "aim_reimport_le_half_first": again.wall_s <= 0.5 * first.wall_s,
        "aim_reimport_writes_nothing": not written and after_events == before_events,
        "aim_second_language_le_first": second.wall_s <= first.wall_s,
        "aim_second_language_reimport_writes_nothing": not second_written
        and after_events2 == before_events2,
        "aim_peak_rss_lt_300mb": max(peaks.values()) < 300,
    }
    for aim, met in aims.items():
        say(f"{aim}={'met' if met else 'MISSED'}")
    if args.profile:
        say(f"profiles in {RUN_DIR / 'profiles'} (figures slowed down by the profiler)")
    if not args.keep_db:
        db.drop_template()
    return 0


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=268_000, help="size of a generated feed")
    parser.add_argument("--feed", help="reuse this JSON feed instead of .data/bench/uhri-N.json")
    parser.add_argument(
        "--country",
        default="largest",
        help="ISO3 code for the one-country step, or 'largest' (default) or 'median'",
    )
    parser.add_argument(
        "--profile",
        choices=["cprofile", "py-spy"],
        help="profile the import steps into the run directory (slows them down)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the template database as well")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(*argv[1:])
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
