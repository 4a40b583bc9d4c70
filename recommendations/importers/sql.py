"""The SQL statements of an import. Column lists and the values the feed does not give come from
the column tables (``columns``): nothing here is built from input.

Changed rows are staged in ``import_rows`` (``STAGED``), upserted into the recommendations
(``UPSERT``, the ids it wrote in ``import_changed``), then their texts and links follow from there.
The review list of a batch is read into ``import_review`` before the batch is written.
"""

from __future__ import annotations

from recommendations.models import ImportChange, TextSource

from .columns import LANGUAGE, LINKS, RECOMMENDATION, STAGED, TEXT, From, Table

# Imports that write take turns (a session-level advisory lock, held for the whole run): between
# reading which rows exist and COPYing the new ones, no other import may create them.
WRITE_LOCK = "recommendations.uhri_import"
LOCK = "SELECT pg_advisory_lock(hashtext(%s))"
UNLOCK = "SELECT pg_advisory_unlock(hashtext(%s))"

_STAGED_COLUMNS = ",\n    ".join(f"{column.name} {column.staged}" for column in STAGED)
TEMP_TABLES = f"""
CREATE TEMP TABLE IF NOT EXISTS import_rows (
    {_STAGED_COLUMNS}
);
CREATE TEMP TABLE IF NOT EXISTS import_changed (
    id bigint PRIMARY KEY, annotation_id uuid NOT NULL, inserted boolean NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS import_review (
    annotation_id uuid PRIMARY KEY, recommendation_id bigint, kind text NOT NULL,
    old_text text NOT NULL, new_text text NOT NULL
);
TRUNCATE import_rows, import_changed, import_review;
"""
TRUNCATE = "TRUNCATE import_rows, import_changed, import_review"
STAGED_NAMES = ", ".join(column.name for column in STAGED)


def copy(table: str, columns: str) -> str:
    return f"COPY {table} ({columns}) FROM STDIN"


_UPSERT_COLUMNS, _UPSERT_VALUES = RECOMMENDATION.insert_values()
# Parameters: run, publication_state and ``RECOMMENDATION.defaults``.
UPSERT = f"""
WITH up AS (
    INSERT INTO {RECOMMENDATION.name} AS r ({_UPSERT_COLUMNS})
    SELECT {_UPSERT_VALUES}
    FROM import_rows
    ON CONFLICT (annotation_id) DO UPDATE SET {RECOMMENDATION.update_set()}
    WHERE r.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR r.withdrawn_at IS NOT NULL
    RETURNING r.id, r.annotation_id, (r.xmax = 0) AS inserted
)
INSERT INTO import_changed SELECT id, annotation_id, inserted FROM up
"""  # noqa: S608 (built from the column tables)
# Whether the upsert replaced a stored row (else every row it wrote is new: no link to remove).
REPLACED = "SELECT count(*) FILTER (WHERE NOT inserted) > 0 FROM import_changed"

_TEXT_COLUMNS, _TEXT_VALUES = TEXT.insert_values(staged="i.", id_sql="c.id")
_TEXT_DIFFERS = " OR ".join(f"t.{c.name} IS DISTINCT FROM EXCLUDED.{c.name}" for c in TEXT.updated)
# Parameters: ``TEXT.defaults``.
TEXTS = f"""
INSERT INTO {TEXT.name} AS t ({_TEXT_COLUMNS})
SELECT {_TEXT_VALUES}
FROM import_changed c JOIN import_rows i USING (annotation_id)
ON CONFLICT (recommendation_id, language) DO UPDATE SET {TEXT.update_set()}
WHERE {_TEXT_DIFFERS}
"""  # noqa: S608 (built from the column tables)


def _link_statements(link: Table) -> tuple[str, str]:
    """(delete, insert) of a link table: the links a changed row no longer has, and its new ones."""
    owner, target = link.column(From.ID).name, link.column(From.LINK).name
    delete = f"""
DELETE FROM {link.name} l USING import_changed c JOIN import_rows i USING (annotation_id)
WHERE l.{owner} = c.id AND NOT c.inserted AND NOT (l.{target} = ANY (i.{link.array}))
"""  # noqa: S608 (built from the column tables)
    insert = f"""
INSERT INTO {link.name} ({owner}, {target})
SELECT c.id, unnest(i.{link.array}) FROM import_changed c JOIN import_rows i USING (annotation_id)
ON CONFLICT DO NOTHING
"""  # noqa: S608 (built from the column tables)
    return delete, insert


LINK_STATEMENTS = [_link_statements(link) for link in LINKS]

_KIND = ImportChange.Kind
# For the review list and the dry run: how each row of the batch compares with what is stored,
# read before the batch is written. A real run keeps no copy of a new recommendation's text: the
# review list reads it from the recommendation (a first import is all new rows).
REVIEW = f"""
INSERT INTO import_review
SELECT i.annotation_id, r.id,
    CASE WHEN r.id IS NULL THEN '{_KIND.NEW.value}'
         WHEN t.text IS DISTINCT FROM i.text THEN '{_KIND.TEXT_CHANGED.value}'
         ELSE '{_KIND.CHANGED.value}' END,
    CASE WHEN r.id IS NULL THEN '' ELSE left(coalesce(t.text, ''), %(limit)s) END,
    CASE WHEN r.id IS NULL AND NOT %(dry_run)s THEN '' ELSE left(i.text, %(limit)s) END
FROM import_rows i
LEFT JOIN {RECOMMENDATION.name} r ON r.annotation_id = i.annotation_id
LEFT JOIN {TEXT.name} t ON t.recommendation_id = r.id AND t.language = %(language)s
WHERE r.id IS NULL OR r.content_hash IS DISTINCT FROM i.content_hash OR r.withdrawn_at IS NOT NULL
"""  # noqa: S608 (built from the column tables)
# The review list of the batch: in a real run, of the rows the upsert actually wrote (JOIN); a dry
# run wrote nothing (LEFT JOIN).
_REVIEW_SAVE = """
INSERT INTO recommendations_importchange (
    run_id, recommendation_id, annotation_id, kind, symbol, paragraph, old_text, new_text, language
)
SELECT %(run)s, coalesce(v.recommendation_id, c.id), v.annotation_id, v.kind, i.symbol,
    i.paragraph, v.old_text, v.new_text, %(language)s
FROM import_review v JOIN {rows} i USING (annotation_id)
{join} import_changed c USING (annotation_id)
"""
REVIEW_SAVE = _REVIEW_SAVE.format(rows="import_rows", join="JOIN")
REVIEW_SAVE_DRY_RUN = _REVIEW_SAVE.format(rows="import_rows", join="LEFT JOIN")

# -- the texts of a feed in another language than the reference -----------------------------------
# Its rows of stored recommendations write their text in that language only (``import_texts``):
# the recommendation, its other texts and its links are left alone. A text whose digest is the
# stored one is not written; an unofficial translation gives way to the official text (the
# translation stays in the text's history).
TEXT_TEMP_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS import_texts (
    annotation_id uuid PRIMARY KEY, text text NOT NULL, html text NOT NULL,
    symbol text NOT NULL, paragraph text NOT NULL
);
TRUNCATE import_texts, import_changed, import_review;
"""
TEXT_NAMES = "annotation_id, text, html, symbol, paragraph"
_OFFICIAL = TextSource.OFFICIAL.value
# Parameters: language, limit, dry_run. As for new recommendations, a real run keeps no copy of a
# text it adds (none stored in the language before): the review list reads it from the text.
TEXT_REVIEW = f"""
INSERT INTO import_review
SELECT i.annotation_id, r.id, '{_KIND.TEXT_CHANGED.value}',
    left(coalesce(t.text, ''), %(limit)s),
    CASE WHEN t.id IS NULL AND NOT %(dry_run)s THEN '' ELSE left(i.text, %(limit)s) END
FROM import_texts i
JOIN {RECOMMENDATION.name} r ON r.annotation_id = i.annotation_id
LEFT JOIN {TEXT.name} t ON t.recommendation_id = r.id AND t.language = %(language)s
WHERE t.content_hash IS DISTINCT FROM md5(i.html) OR t.source IS DISTINCT FROM '{_OFFICIAL}'
"""  # noqa: S608 (built from the column tables)
# Parameters: language.
TEXT_UPSERT = f"""
WITH up AS (
    INSERT INTO {TEXT.name} AS t (recommendation_id, language, text, html, content_hash, source)
    SELECT v.recommendation_id, %(language)s, i.text, i.html, md5(i.html), '{_OFFICIAL}'
    FROM import_review v JOIN import_texts i USING (annotation_id)
    ON CONFLICT (recommendation_id, language) DO UPDATE SET text = EXCLUDED.text,
        html = EXCLUDED.html, content_hash = EXCLUDED.content_hash, source = EXCLUDED.source
    WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash
        OR t.source IS DISTINCT FROM EXCLUDED.source
    RETURNING t.recommendation_id
)
INSERT INTO import_changed
SELECT up.recommendation_id, v.annotation_id, false
FROM up JOIN import_review v USING (recommendation_id)
"""  # noqa: S608 (built from the column tables)
# A new or changed text is a change of its recommendation for those who sync (``updated_since``):
# its time of change goes forward; nothing else of it is written (not its version, which is the
# reference feed's). Parameters: ids (``TEXTS_TOUCH``).
TEXTS_TOUCH_CHANGED = f"""
UPDATE {RECOMMENDATION.name} SET updated_at = now()
WHERE id IN (SELECT id FROM import_changed)
"""  # noqa: S608 (built from the column tables)
TEXTS_TOUCH = f"""
UPDATE {RECOMMENDATION.name} SET updated_at = now() WHERE id = ANY(%s)
"""  # noqa: S608 (built from the column tables)
TEXT_REVIEW_SAVE = _REVIEW_SAVE.format(rows="import_texts", join="JOIN")
TEXT_REVIEW_SAVE_DRY_RUN = _REVIEW_SAVE.format(rows="import_texts", join="LEFT JOIN")
# The stored digests of a batch's recommendations and of their texts in one language.
STORED_TEXT_DIGESTS = f"""
SELECT r.id, r.annotation_id::text, t.content_hash, t.source
FROM {RECOMMENDATION.name} r
LEFT JOIN {TEXT.name} t ON t.recommendation_id = r.id AND t.language = %s
WHERE r.annotation_id = ANY(%s::uuid[])
"""  # noqa: S608 (built from the column tables)

# -- what is stored --------------------------------------------------------------------------------

STORED_IDS = (
    "SELECT replace(annotation_id::text, '-', '') FROM recommendations_recommendation "
    "WHERE annotation_id IS NOT NULL"
)
STORED_DIGESTS = (
    "SELECT annotation_id::text, content_hash, withdrawn_at IS NOT NULL "
    "FROM recommendations_recommendation WHERE annotation_id = ANY(%s::uuid[])"
)
ID_SEQUENCE = "SELECT pg_get_serial_sequence('recommendations_recommendation', 'id')"
NEW_IDS = "SELECT now()::text, array(SELECT nextval(%s::regclass) FROM generate_series(1, %s))"

# -- withdrawal ------------------------------------------------------------------------------------

# The stored ids of the countries' recommendations that are not withdrawn, as hexadecimal digits:
# those with a text in the reference language (parameter), that a reference feed has carried; a
# record only another language's feed has carried so far is not the reference feed's to withdraw.
WITHDRAW_CANDIDATES = f"""
SELECT r.id, replace(r.annotation_id::text, '-', '')
FROM recommendations_recommendation r
JOIN recommendations_document d ON d.id = r.document_id
WHERE d.country_id = ANY(%s) AND r.annotation_id IS NOT NULL AND r.withdrawn_at IS NULL
    AND EXISTS (
        SELECT 1 FROM {TEXT.name} t WHERE t.recommendation_id = r.id AND t.language = %s
    )
"""  # noqa: S608 (built from the column tables)
WITHDRAWN_ROWS = f"""
SELECT r.id, r.annotation_id, d.symbol, r.paragraph, t.text
FROM recommendations_recommendation r
JOIN recommendations_document d ON d.id = r.document_id
LEFT JOIN {TEXT.name} t ON t.recommendation_id = r.id AND t.language = '{LANGUAGE}'
WHERE r.id = ANY(%s) ORDER BY r.id
"""  # noqa: S608 (built from the column tables)
WITHDRAW = """
UPDATE recommendations_recommendation SET withdrawn_at = now(), is_current = false,
    updated_by_run_id = %(run)s, updated_at = now(), version = version + 1
WHERE id = ANY(%(ids)s)
"""
