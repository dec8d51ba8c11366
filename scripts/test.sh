#!/usr/bin/env bash
# Install everything and run the checks:   bash scripts/test.sh [pytest arguments]
#
# The same system-library and .venv steps as scripts/launch.sh, with `pip install -e ".[test]"`;
# then `ruff check gd_desktop tests` and `python -m pytest` with Qt's offscreen platform (no display
# needed). Both always run; the exit status is non-zero if either fails, including when pytest
# collects no tests (its exit code 5).
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
gd_setup ".[test]"

export QT_QPA_PLATFORM=offscreen
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
    # Qt warns when it needs this and finds it unset, and the tests fail on Qt warnings.
    XDG_RUNTIME_DIR="$(mktemp -d)"
    export XDG_RUNTIME_DIR
    trap 'rm -rf -- "$XDG_RUNTIME_DIR"' EXIT
fi

echo "== ruff check gd_desktop tests" >&2
ruff_status=0
"$GD_VENV/bin/python" -m ruff check gd_desktop tests || ruff_status=$?

echo "== QT_QPA_PLATFORM=offscreen python -m pytest $*" >&2
pytest_status=0
"$GD_VENV/bin/python" -m pytest "$@" || pytest_status=$?

failed=0
if [ "$ruff_status" != 0 ]; then
    echo "test.sh: ruff check failed (exit $ruff_status)" >&2
    failed=1
fi
case "$pytest_status" in
    0) ;;
    5) echo "test.sh: pytest collected no tests (exit 5): that counts as a failure" >&2; failed=1 ;;
    *) echo "test.sh: pytest failed (exit $pytest_status)" >&2; failed=1 ;;
esac
if [ "$failed" = 0 ]; then
    echo "test.sh: ruff and pytest passed" >&2
    exit 0
fi
# pytest's own code when it failed (5 included), else 1 for ruff.
if [ "$pytest_status" != 0 ]; then
    exit "$pytest_status"
fi
exit 1
