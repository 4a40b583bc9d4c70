#!/usr/bin/env bash
# `make test`, inside the database launcher (python -m tracker.embedded run): DATABASE_URL is set.
# Every check runs even when an earlier one fails; the exit status says whether all passed.
# PYTEST_ARGS is split on spaces and passed to pytest, e.g. make test PYTEST_ARGS="-k audit -x".
set -uo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-tracker.settings.test}"

failed=()
summary=()
step() {
    local name="$1"
    shift
    echo
    echo "==> $name"
    local started=$SECONDS
    if "$@"; then
        summary+=("ok      $name ($((SECONDS - started))s)")
    else
        summary+=("FAILED  $name ($((SECONDS - started))s)")
        failed+=("$name")
    fi
}

read -r -a pytest_args <<<"${PYTEST_ARGS:-}"

step "ruff check" ruff check .
step "ruff format --check" ruff format --check .
step "mypy" mypy .
step "lint-imports" lint-imports
step "makemigrations --check" python manage.py makemigrations --check --dry-run
step "pytest" pytest "${pytest_args[@]}"

echo
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
    echo "make test: ${#failed[@]} check(s) failed: ${failed[*]}"
    exit 1
fi
echo "make test: all checks passed"
