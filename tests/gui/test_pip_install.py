"""The pip path: the wheel that `pip wheel .` builds installs into a fresh venv and passes the
self-test there, away from the source tree (on the Python that runs the tests; CI's).

pip fetches PySide6, pyqtgraph and numpy as a teacher's `pip install` or `pipx install` would;
its cache (filled when scripts/_setup.sh made .venv) keeps that to seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the pip path is tested on Linux only"
)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def test_wheel_installs_into_a_fresh_venv_and_passes_the_self_test(tmp_path):
    # A user's shell: no display, no Qt platform, nothing of the source tree on the path.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    }
    # A copy of the sources: setuptools writes build/ and *.egg-info where it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*IGNORED))
    wheels = tmp_path / "wheels"
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), "."]
    run(command, source, env)
    (wheel,) = wheels.glob("gd_desktop-*.whl")
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = target / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", str(wheel)], tmp_path, env)

    home = tmp_path / "home"
    home.mkdir()
    env.update(HOME=str(home), PATH=f"{target / 'bin'}:/usr/bin:/bin")
    where = run([str(python), "-c", "import gd_desktop; print(gd_desktop.__file__)"], home, env)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout
    result = run(["gd-desktop", "--self-test"], home, env, timeout=180)
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("gd-desktop self-test: OK"), result.stdout
    assert any("300 Steps" in line for line in lines)
    assert any("hidden-layer lesson" in line for line in lines)
    print(f"\nPython {sys.version.split()[0]}: {lines[-1]}")
