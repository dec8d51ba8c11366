#!/usr/bin/env bash
# Install everything and run the checks:   bash scripts/test.sh [pytest arguments]
#
# The same system-library and .venv steps as scripts/launch.sh, with `pip install -e ".[test]"`;
# then `ruff check gd_desktop tests`, `lint-imports` (gd_desktop.core imports no Qt, pyqtgraph or
# GUI module: [tool.importlinter] in pyproject.toml), `python -m pytest` with Qt's offscreen
# platform (no display needed), and tests/core once more in .venv-core: a second venv with only
# numpy, pytest and hypothesis, the repository on PYTHONPATH, so a core test that needs Qt fails
# there. All always run; the exit status is non-zero if any fails, including when a pytest run
# collects no tests (its exit code 5). The pytest arguments go to the main run only. Then the
# tests marked `languages` once in each shipped language (LANGUAGE=de … -m languages).
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
gd_setup ".[test]"
gd_setup_core_venv

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

echo "== lint-imports" >&2
imports_status=0
PYTHONPATH="$GD_ROOT" "$GD_VENV/bin/lint-imports" || imports_status=$?

echo "== QT_QPA_PLATFORM=offscreen python -m pytest $*" >&2
pytest_status=0
"$GD_VENV/bin/python" -m pytest "$@" || pytest_status=$?

# The window's main flows in each shipped language (widgets found by objectName, numbers read as
# the language writes them): the tests marked `languages` (tests/gui/test_in_every_language.py and
# the sample named in tests/conftest.py's LANGUAGE_SAMPLE, whose files are listed here).
LANGUAGE_TESTS=(tests/gui/test_in_every_language.py tests/gui/test_window.py tests/gui/test_quiz.py
    tests/gui/test_presentation.py tests/gui/test_lesson_window.py)
languages_status=0
for language in de es fr pt_BR zh_CN uk; do
    echo "== LANGUAGE=$language python -m pytest -m languages" >&2
    status=0
    LANGUAGE="$language" "$GD_VENV/bin/python" -m pytest -q -p no:cacheprovider -m languages \
        "${LANGUAGE_TESTS[@]}" || status=$?
    if [ "$status" != 0 ]; then
        echo "test.sh: the tests in $language failed (exit $status)" >&2
        languages_status=$status
    fi
done

echo "== .venv-core (no Qt): python -m pytest tests/core" >&2
core_status=0
# Without pytest-qt its qt_* options in pyproject.toml are unknown; that warning must not fail it.
PYTHONPATH="$GD_ROOT" "$GD_CORE_VENV/bin/python" -m pytest -q \
    -W "ignore:Unknown config option:pytest.PytestConfigWarning" tests/core || core_status=$?

failed=0
if [ "$ruff_status" != 0 ]; then
    echo "test.sh: ruff check failed (exit $ruff_status)" >&2
    failed=1
fi
if [ "$imports_status" != 0 ]; then
    echo "test.sh: lint-imports failed (exit $imports_status): the core imports Qt or the GUI" >&2
    failed=1
fi
for run in "pytest:$pytest_status" "pytest -m languages in each language:$languages_status" \
    "pytest tests/core without Qt:$core_status"; do
    name="${run%:*}"
    status="${run##*:}"
    case "$status" in
        0) ;;
        5) echo "test.sh: $name collected no tests (exit 5): that counts as a failure" >&2; failed=1 ;;
        *) echo "test.sh: $name failed (exit $status)" >&2; failed=1 ;;
    esac
done
if [ "$failed" = 0 ]; then
    echo "test.sh: ruff, lint-imports, pytest (in English and each language) and pytest" \
        "tests/core without Qt passed" >&2
    exit 0
fi
# pytest's own code when a run failed (5 included), else 1 for ruff or lint-imports.
for status in "$pytest_status" "$languages_status" "$core_status"; do
    if [ "$status" != 0 ]; then
        exit "$status"
    fi
done
exit 1
