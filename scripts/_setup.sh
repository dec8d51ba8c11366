# shellcheck shell=bash
# The part of scripts/launch.sh and scripts/test.sh that they share. Sourced, not run:
#
#   source scripts/_setup.sh
#   gd_setup "."          # or ".[test]": what `pip install -e` gets
#
# gd_setup, on a Debian/Ubuntu machine:
#   1. picks a Python 3.11+ ($PYTHON if set, else python3, python3.13, python3.12, python3.11);
#   2. checks Qt's system libraries (and Python's venv support, if a venv must be made) with
#      dpkg-query; installs what is missing with apt-get when root, otherwise prints the
#      `sudo apt-get install ...` line to run and exits 1;
#   3. creates .venv (or reuses a working one) and runs `pip install -e <spec>` in it, skipped when
#      nothing changed since the last successful install (set GD_FORCE_INSTALL=1 to force it).
# Afterwards GD_ROOT is the repository root, GD_VENV its .venv, and the working directory GD_ROOT.
#
# gd_setup_core_venv (after gd_setup; scripts/test.sh) makes .venv-core, or reuses it: numpy, pytest
# and hypothesis only (their ranges from pyproject.toml), no Qt, the package not installed; then
# GD_CORE_VENV is its path.

GD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GD_VENV="$GD_ROOT/.venv"
GD_MIN_PYTHON="3.11"

# What the Qt wheels (PySide6-Essentials) load on Linux: Qt itself, then the xcb platform plugin
# (checked with ldd on its libqxcb.so, libQt6XcbQpa.so and xcbglintegrations plugins).
GD_QT_PACKAGES=(
    libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
)
GD_XCB_PACKAGES=(
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
    libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
)

# What the tests use besides Python packages (only for a spec with the test extra, e.g. ".[test]"):
# tests/gui/test_bundle.py builds the .deb with dpkg-deb and computes its Depends with
# dpkg-shlibdeps (dpkg-dev), which needs every system library the bundle links to installed (the
# Wayland client libraries are not among Qt's); it reads ELF files with readelf (binutils, also
# what build.spec strips Python's debug sections with) and installs the .deb into a clean Debian
# root made with debootstrap; tests/gui/test_desktop_integration.py checks the desktop entry with
# desktop-file-validate and the MIME type with update-mime-database.
GD_TEST_TOOL_PACKAGES=(
    binutils debootstrap desktop-file-utils dpkg dpkg-dev shared-mime-info
    libwayland-client0 libwayland-cursor0 libwayland-egl1
)

gd_say() { printf 'gd-desktop setup: %s\n' "$*" >&2; }
gd_die() { printf 'gd-desktop setup: error: %s\n' "$*" >&2; exit 1; }

gd_is_root() { [ "$(id -u)" = 0 ]; }

# The interpreter's "major.minor" if it runs and is new enough; nothing (and status 1) otherwise.
gd_python_version() {
    "$1" -c 'import sys; v = sys.version_info; print("%d.%d" % v[:2]) if v >= (3, 11) else sys.exit(1)' \
        2>/dev/null
}

# Sets GD_PYTHON and GD_PYTHON_VERSION, or leaves GD_PYTHON empty.
gd_pick_python() {
    GD_PYTHON=""
    GD_PYTHON_VERSION=""
    local candidates=(python3 python3.13 python3.12 python3.11)
    if [ -n "${PYTHON:-}" ]; then
        candidates=("$PYTHON")
    fi
    local candidate path version
    for candidate in "${candidates[@]}"; do
        path="$(command -v "$candidate" 2>/dev/null)" || continue
        # A pyenv shim for a version that is not selected exists but fails: try it, don't trust it.
        if version="$(gd_python_version "$path")" && [ -n "$version" ]; then
            GD_PYTHON="$path"
            GD_PYTHON_VERSION="$version"
            return 0
        fi
    done
    return 1
}

# Installed, per dpkg? Ubuntu 24.04 and Debian 13 renamed some libraries with a "t64" suffix
# (libglib2.0-0t64 provides libglib2.0-0), so either name counts.
gd_package_installed() {
    local name status
    for name in "$1" "${1}t64"; do
        # Not `dpkg-query | grep -q`: under pipefail, grep quitting early can fail the pipe.
        status="$(dpkg-query -W -f='${Status}\n' "$name" 2>/dev/null || true)"
        case "$status" in
            *"ok installed"*) return 0 ;;
        esac
    done
    return 1
}

# A working venv: its Python runs, is new enough, and has pip.
gd_venv_works() {
    [ -x "$GD_VENV/bin/python" ] \
        && gd_python_version "$GD_VENV/bin/python" >/dev/null \
        && "$GD_VENV/bin/python" -m pip --version >/dev/null 2>&1
}

# Can this Python make a venv with pip in it? Debian ships ensurepip in python3.X-venv.
gd_python_has_venv() {
    "$GD_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1
}

# Installs the packages with apt-get when root; otherwise says what to run and exits 1.
gd_apt_install() {
    local why="$1"
    shift
    if gd_is_root && command -v apt-get >/dev/null 2>&1; then
        gd_say "installing $why with apt-get: $*"
        DEBIAN_FRONTEND=noninteractive apt-get update \
            || gd_die "apt-get update failed (see above)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" \
            || gd_die "apt-get install failed (see above)"
        return 0
    fi
    {
        printf '\nMissing: %s. Install them, then run this command again:\n\n' "$why"
        printf '    sudo apt-get update && sudo apt-get install %s\n\n' "$*"
    } >&2
    exit 1
}

gd_system_packages() {
    local spec="${1:-.}" have_dpkg=1 python_from_apt=0 need_venv=0
    command -v dpkg-query >/dev/null 2>&1 || have_dpkg=0

    gd_pick_python || true
    if [ -z "$GD_PYTHON" ]; then
        if [ -n "${PYTHON:-}" ]; then
            gd_die "PYTHON=$PYTHON is not a Python $GD_MIN_PYTHON or newer."
        fi
        if [ "$have_dpkg" = 1 ] && gd_is_root && command -v apt-get >/dev/null 2>&1; then
            gd_apt_install "Python $GD_MIN_PYTHON+" python3 python3-venv
            gd_pick_python || true
        fi
        if [ -z "$GD_PYTHON" ]; then
            local found
            found="$(command -v python3 2>/dev/null || true)"
            gd_die "no Python $GD_MIN_PYTHON or newer found (tried python3, python3.13, python3.12," \
                "python3.11${found:+; python3 is $("$found" -V 2>&1)}). Install one (on Debian 12" \
                "or Ubuntu 24.04: sudo apt-get install python3 python3-venv), or point PYTHON at one:" \
                "PYTHON=/path/to/python3.12 bash $0"
        fi
    fi
    gd_say "using $GD_PYTHON (Python $GD_PYTHON_VERSION)"

    if ! gd_venv_works && ! gd_python_has_venv; then
        need_venv=1
        # Only a Python that apt installed can get its venv module from apt.
        if [ "$have_dpkg" = 1 ] && dpkg -S "$(readlink -f "$GD_PYTHON")" >/dev/null 2>&1; then
            python_from_apt=1
        fi
        if [ "$python_from_apt" = 0 ]; then
            gd_die "$GD_PYTHON cannot create a virtual environment (its venv/ensurepip module is" \
                "missing). Use a Python that has it: PYTHON=/path/to/python3 bash $0"
        fi
    fi

    if [ "$have_dpkg" = 0 ]; then
        gd_say "not a Debian/Ubuntu system (no dpkg-query): cannot check Qt's system libraries;" \
            "if the window does not open, install your distribution's libEGL, libGL, fontconfig," \
            "dbus, glib, xkbcommon(-x11) and xcb-cursor/icccm/keysyms/image/render-util libraries."
        return 0
    fi

    local missing=() package wanted=("${GD_QT_PACKAGES[@]}" "${GD_XCB_PACKAGES[@]}")
    case "$spec" in
        *test*) wanted+=("${GD_TEST_TOOL_PACKAGES[@]}") ;;
    esac
    for package in "${wanted[@]}"; do
        gd_package_installed "$package" || missing+=("$package")
    done
    if [ "$need_venv" = 1 ]; then
        # python3.X-venv is the python3-venv package for that exact version (also for the
        # python3.12/3.13 of other apt sources, where python3-venv would be the wrong one).
        missing+=("python${GD_PYTHON_VERSION}-venv")
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        local what="Qt's system libraries (and the tools the tests use)"
        if [ "$need_venv" = 1 ] && [ "${#missing[@]}" = 1 ]; then
            what="Python's venv module (python3-venv)"
        elif [ "$need_venv" = 1 ]; then
            what="Qt's system libraries and Python's venv module (python3-venv)"
        fi
        gd_apt_install "$what" "${missing[@]}"
    fi
}

gd_make_venv() {
    if gd_venv_works; then
        return 0
    fi
    if [ -e "$GD_VENV" ]; then
        gd_say "$GD_VENV does not work (no Python $GD_MIN_PYTHON+ or no pip in it): recreating it"
        rm -rf -- "$GD_VENV"
    fi
    gd_say "creating $GD_VENV with $GD_PYTHON"
    if ! "$GD_PYTHON" -m venv "$GD_VENV"; then
        rm -rf -- "$GD_VENV"
        gd_die "'$GD_PYTHON -m venv $GD_VENV' failed (see above). On Debian/Ubuntu install" \
            "python${GD_PYTHON_VERSION}-venv (python3-venv): sudo apt-get install" \
            "python${GD_PYTHON_VERSION}-venv"
    fi
}

gd_pip_install() {
    local spec="$1" stamp="$GD_VENV/.gd-desktop-installed" hash line
    hash="$(sha256sum "$GD_ROOT/pyproject.toml" | cut -d' ' -f1)"
    line="$spec $hash"
    if [ "${GD_FORCE_INSTALL:-0}" != 1 ] && [ -f "$stamp" ] && grep -qxF -- "$line" "$stamp" \
        && [ -x "$GD_VENV/bin/gd-desktop" ]; then
        gd_say "'$spec' already installed in .venv for this pyproject.toml (GD_FORCE_INSTALL=1" \
            "reinstalls)"
        return 0
    fi
    gd_say "pip install -e '$spec'"
    (cd "$GD_ROOT" && "$GD_VENV/bin/python" -m pip install -e "$spec") \
        || gd_die "pip install -e '$spec' failed (see above)"
    # A new pyproject.toml makes every older line stale.
    if [ -f "$stamp" ]; then
        grep -F -- " $hash" "$stamp" >"$stamp.new" || true
    else
        : >"$stamp.new"
    fi
    printf '%s\n' "$line" >>"$stamp.new"
    mv -f -- "$stamp.new" "$stamp"
}

gd_setup() {
    local spec="${1:-.}"
    cd "$GD_ROOT" || gd_die "cannot cd to $GD_ROOT"
    gd_system_packages "$spec"
    gd_make_venv
    gd_pip_install "$spec"
    # An editable install leaves our modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set
    # nothing ever writes their .pyc: compiling them once saves ~50 ms at every start.
    "$GD_VENV/bin/python" -m compileall -q "$GD_ROOT/gd_desktop" >/dev/null \
        || gd_say "could not precompile gd_desktop (harmless: it only starts a little slower)"
}

# The requirements of .venv-core: numpy, pytest and hypothesis as pyproject.toml pins them.
gd_core_requirements() {
    "$GD_PYTHON" - "$GD_ROOT/pyproject.toml" <<'PYTHON'
import re
import sys
import tomllib

with open(sys.argv[1], "rb") as file:
    project = tomllib.load(file)["project"]
wanted = {"numpy", "pytest", "hypothesis"}
found = [
    requirement
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    if re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower() in wanted
]
if len(found) != len(wanted):
    sys.exit(f"pyproject.toml pins {found}; .venv-core needs each of {sorted(wanted)} once")
print("\n".join(found))
PYTHON
}

# No Qt in .venv-core, else its run of tests/core proves nothing.
gd_core_venv_has_no_qt() {
    "$GD_CORE_VENV/bin/python" -c '
import importlib.util, sys
found = [m for m in ("PySide6", "shiboken6", "pyqtgraph", "pytestqt") if importlib.util.find_spec(m)]
sys.exit(f"Qt in .venv-core: {found}" if found else 0)'
}

gd_setup_core_venv() {
    local saved_venv="$GD_VENV" requirements stamp
    GD_VENV="$GD_ROOT/.venv-core"
    if ! gd_venv_works && ! gd_python_has_venv; then
        gd_apt_install "Python's venv module (python3-venv)" "python${GD_PYTHON_VERSION}-venv"
    fi
    gd_make_venv
    GD_CORE_VENV="$GD_VENV"
    GD_VENV="$saved_venv"
    requirements="$(gd_core_requirements)" || gd_die "cannot read the core test requirements"
    stamp="$GD_CORE_VENV/.gd-core-installed"
    if [ "${GD_FORCE_INSTALL:-0}" != 1 ] && [ -f "$stamp" ] \
        && [ "$(cat -- "$stamp")" = "$requirements" ]; then
        gd_say "numpy, pytest and hypothesis already installed in .venv-core"
    else
        gd_say "pip install in .venv-core: ${requirements//$'\n'/ }"
        # shellcheck disable=SC2086 # one requirement per line, none with spaces
        (IFS=$'\n'; set -f; "$GD_CORE_VENV/bin/python" -m pip install --quiet $requirements) \
            || gd_die "pip install in .venv-core failed (see above)"
        printf '%s\n' "$requirements" >"$stamp"
    fi
    gd_core_venv_has_no_qt || gd_die "remove .venv-core and run again: it must not hold Qt"
}
