#!/usr/bin/env bash
# `make run`, inside the database launcher (python -m tracker.embedded run): DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

python manage.py migrate --noinput
python manage.py load_reference_data
python manage.py load_demo_data
exec python manage.py runserver "${RUNSERVER_ADDRESS:-127.0.0.1:8000}"
