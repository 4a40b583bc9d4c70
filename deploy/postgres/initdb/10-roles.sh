#!/bin/sh
# Runs once, when the postgres service first makes its data directory (docker-entrypoint-initdb.d).
# Two roles share the database, so that the app cannot undo its own audit trail:
#   TRACKER_DB_OWNER (migrations): owns the database, and so every table and its triggers;
#   TRACKER_DB_APP   (web, worker, beat): may connect and use temporary tables; the rows it may
#     read and write are granted by the owner after each migrate (tracker/dbroles.py): no
#     TRUNCATE, no TRIGGER, no ownership, and on the audit event tables SELECT and INSERT only.
# The superuser (POSTGRES_USER) is left to the database's own administration.
set -eu
: "${TRACKER_DB_OWNER:=tracker_owner}"
: "${TRACKER_DB_APP:=tracker_app}"
: "${TRACKER_DB_OWNER_PASSWORD:?set TRACKER_DB_OWNER_PASSWORD}"
: "${TRACKER_DB_APP_PASSWORD:?set TRACKER_DB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner="$TRACKER_DB_OWNER" -v app="$TRACKER_DB_APP" \
  -v owner_password="$TRACKER_DB_OWNER_PASSWORD" -v app_password="$TRACKER_DB_APP_PASSWORD" \
  -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
\connect :"db"
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
SQL
