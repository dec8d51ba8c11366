"""``gd-desktop --self-test`` from the source tree: it passes, and it fails when the app is wrong.

Each run is a fresh process, started as a user would, without a display and without
QT_QPA_PLATFORM: the self-test must choose the offscreen platform itself (Qt would abort with
exit 134 otherwise). tests/gui/test_bundle.py runs the same self-test in the PyInstaller bundle.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gd_desktop import __version__
from gd_desktop.gui.self_test import SelfTestError, expect_close, number


def run(args: list[str], code: str | None = None, timeout: float = 120):
    """``python -m gd_desktop ARGS`` (or ``python -c CODE``) with no display and no Qt platform."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.pop("WAYLAND_DISPLAY", None)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "gd_desktop"]
    return subprocess.run(
        command + args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_self_test_passes_headless():
    """It prints every check and OK, and exits 0, on a machine with no display."""
    result = run(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("gd-desktop self-test: OK")
    assert any("2.24" in line for line in lines)
    assert any("weights 0.7 and 1.6, error 2.5" in line for line in lines)
    assert any("BLAS and LAPACK" in line for line in lines)
    assert any("offscreen" in line for line in lines)
    assert any("300 Steps: the weights the chapter's update gives" in line for line in lines)
    assert any("Pause held them, Reset went back to 11" in line for line in lines)
    assert any("hidden-layer lesson: 200 Steps" in line for line in lines)
    assert any("saved in a temporary folder and reopened" in line for line in lines)


def test_self_test_fails_with_the_reason_when_a_step_is_wrong():
    """A broken Step (the weights do not move) makes it fail, saying what it saw."""
    code = (
        "import sys\n"
        "from gd_desktop.gui import session\n"
        "session.Session.step = lambda self: False\n"  # Step does nothing
        "from gd_desktop.gui.self_test import main\n"
        "sys.exit(main([]))\n"
    )
    result = run([], code=code)
    assert result.returncode == 1
    assert "OK" not in result.stdout.splitlines()[-1]
    assert "gd-desktop self-test: FAILED: two inputs, one Step: weight 1 shown" in result.stderr
    assert "expected 0.7, got 1.0" in result.stderr


def test_self_test_fails_when_step_breaks_after_a_few_dozen_clicks():
    """What a binding crash after ~45 Steps looks like to the self-test: it must not pass."""
    code = (
        "import sys\n"
        "from gd_desktop.gui import session\n"
        "real_step = session.Session.step\n"
        "def step(self):\n"
        "    if self.iteration >= 45:\n"
        "        raise RuntimeError('the binding gave up after 45 Steps')\n"
        "    return real_step(self)\n"
        "session.Session.step = step\n"
        "from gd_desktop.gui.self_test import main\n"
        "sys.exit(main([]))\n"
    )
    result = run([], code=code)
    assert result.returncode == 1
    # Qt prints the exception of a slot and carries on: the count of Steps gives it away.
    assert "FAILED: after many Steps: iteration shown: expected 300, got 45" in result.stderr
    assert "2.24" in result.stdout  # the one-Step checks before it passed


def test_self_test_reports_an_unexpected_error():
    """An exception anywhere is a failure with its traceback, not a crash."""
    code = (
        "import sys\n"
        "import gd_desktop.app\n"
        "def broken():\n"
        "    raise RuntimeError('the window could not be built')\n"
        "gd_desktop.app.build_window = broken\n"
        "from gd_desktop.gui.self_test import main\n"
        "sys.exit(main([]))\n"
    )
    result = run([], code=code)
    assert result.returncode == 1
    assert "FAILED: RuntimeError: the window could not be built" in result.stderr
    assert "Traceback" in result.stderr


def test_self_test_takes_no_argument():
    result = run(["--self-test", "extra"])
    assert result.returncode == 2
    assert "takes no argument" in result.stderr


def test_version_and_help():
    result = run(["--version"])
    assert result.returncode == 0
    assert result.stdout.strip() == f"gd-desktop {__version__}"
    result = run(["--help"])
    assert result.returncode == 0
    for option in ("--self-test", "--install-desktop-entry", "--version", "trace"):
        assert option in result.stdout


def test_unknown_arguments_are_still_rejected():
    """An option the app does not know is an error (a lesson file's path is not)."""
    result = run(["--lesson-please"])
    assert result.returncode == 2
    assert "unknown argument" in result.stderr


@pytest.mark.parametrize(
    ("text", "value"), [("2.24", 2.24), ("−3.28", -3.28), ("0", 0.0), ("1e-05", 1e-05)]
)
def test_number_reads_what_the_window_writes(text, value):
    assert number(text) == value


def test_number_and_expect_close_say_what_they_saw():
    with pytest.raises(SelfTestError, match="expected a number, the window shows 'abc'"):
        number("abc")
    expect_close("shown", 2.2400001, 2.24)  # six significant digits on screen
    with pytest.raises(SelfTestError, match="weight: expected 2.24, got 2.25"):
        expect_close("weight", 2.25, 2.24)
