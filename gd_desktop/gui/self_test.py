"""``gd-desktop --self-test``: the real window, driven like a user, without a screen.

It builds the main window on Qt's offscreen platform, types the course's two examples into the
real spin boxes, clicks Step, and reads what the window shows:

* the two-input slide: inputs 3 and 4, weights 1 and 2, target 6, rate 0.01 predict 11 with an
  error of 5; one Step gives weights 0.7 and 1.6 and an error of 2.5;
* the one-weight slide: input 3, weight 2, target 10 give an error of -4; one Step gives 2.24;
* 300 Steps, checked against the chapter's update done by hand (a binding crash shows here), a
  Run paused with the same button, a Reset, 200 Steps of the hidden-layer lesson, and a lesson
  file saved in a temporary folder and opened again.

It also checks numpy's BLAS and LAPACK (stripping numpy's libraries breaks them), the window icon
and the desktop file name, and, in the PyInstaller bundle, that Qt's platform, input-method and
image plugins and its translations are there. It prints what it checked and ``OK`` and exits 0;
otherwise it prints the reason and exits 1. It needs nothing but gd-desktop itself (no pytest).

Without ``QT_QPA_PLATFORM`` it uses the offscreen platform, so it runs on a machine with no
display and opens no window on one that has a display; ``QT_QPA_PLATFORM=xcb gd-desktop
--self-test`` tries the real platform plugin instead.
"""

from __future__ import annotations

import faulthandler
import math
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from gd_desktop.core.i18n import _

TIMEOUT_SECONDS = 120  # a self-test that hangs is a failure, not a stuck classroom machine
# PySide6 6.12 on Python 3.11 aborted after ~45 Steps: hundreds of clicks find such a crash.
MANY_STEPS = 300
HIDDEN_PRESET = "relu-fits-abs"
HIDDEN_STEPS = 200


class SelfTestError(Exception):
    """A check that did not hold; the message says which and what was seen."""


def number(text: str) -> float:
    """A number as the window writes it (with a typographic minus) as a float."""
    cleaned = text.replace("−", "-").replace(",", ".").strip()  # "2,24" in a comma language
    try:
        return float(cleaned)
    except ValueError:
        raise SelfTestError(
            _("expected a number, the window shows {text}").format(text=repr(text))
        ) from None


def expect_close(what: str, seen: float, expected: float, rel: float = 1e-6) -> None:
    """Shown numbers have 6 significant digits: equal to that by default, closer if asked."""
    if not math.isclose(seen, expected, rel_tol=rel, abs_tol=1e-12):
        raise SelfTestError(
            _("{what}: expected {expected}, got {seen}").format(
                what=what, expected=repr(expected), seen=repr(seen)
            )
        )


def check_numpy() -> str:
    """Matrix products (BLAS) and a solve (LAPACK) against sums done without them."""
    import numpy as np

    a = (np.arange(120 * 80, dtype=float).reshape(120, 80) % 7) - 3.0
    product = a @ a.T
    by_hand = (a[:, None, :] * a[None, :, :]).sum(axis=2)
    if not np.array_equal(product, by_hand):
        raise SelfTestError(_("numpy's matrix product (BLAS) gives wrong numbers"))
    matrix = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    solution = np.linalg.solve(matrix, np.array([1.0, 2.0, 3.0]))
    if not np.allclose(matrix @ solution, [1.0, 2.0, 3.0], rtol=1e-12, atol=1e-12):
        raise SelfTestError(_("numpy's linear solve (LAPACK) gives wrong numbers"))
    return _("numpy {version}: BLAS and LAPACK compute correctly").format(version=np.__version__)


def check_bundle_contents() -> str:
    """In the PyInstaller bundle: the Qt plugins and translations that build.spec must keep."""
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    wanted = {"platforms": "offscreen", "platforminputcontexts": "compose", "imageformats": "svg"}
    if sys.platform.startswith("linux"):
        wanted["platforms"] = "xcb"
    for folder, part in wanted.items():
        files = (
            [p.name for p in (plugins / folder).glob("*")] if (plugins / folder).is_dir() else []
        )
        if not any(part in name for name in files):
            raise SelfTestError(
                _("the bundle lacks Qt's {part} plugin in {folder}").format(
                    part=repr(part), folder=plugins / folder
                )
            )
    if not list(translations.glob("qtbase_*.qm")):
        raise SelfTestError(
            _("the bundle lacks Qt's translations in {folder}").format(folder=translations)
        )
    from gd_desktop.core.i18n import DOMAIN, SHIPPED
    from gd_desktop.core.resources import locale_dir

    catalogs = locale_dir()
    missing = [
        code
        for code in SHIPPED
        if catalogs is None or not (catalogs / code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    ]
    if missing:
        raise SelfTestError(
            _("the bundle lacks gd-desktop's translations for {languages}").format(
                languages=", ".join(missing)
            )
        )
    return _(
        "bundle: Qt's platform, input-method and image plugins, Qt's translations and "
        "gd-desktop's are there"
    )


def check_isolation() -> str:
    """In the bundle: every module and Python or Qt library loaded comes from the bundle itself.

    So the bundle runs on a machine with no Python: nothing leaks in from an installed one.
    """
    bundle = Path(sys._MEIPASS).resolve()  # where PyInstaller unpacked or put the bundle

    def inside(path: str) -> bool:
        resolved = Path(path).resolve()
        return resolved == bundle or bundle in resolved.parents

    # Relative names are sources embedded in a library (shiboken's "shibokensupport/...").
    outside = sorted(
        f"{name} ({module.__file__})"
        for name, module in list(sys.modules.items())
        if isinstance(getattr(module, "__file__", None), str)
        and Path(module.__file__).is_absolute()
        and not inside(module.__file__)
    )
    if outside:
        raise SelfTestError(
            _("modules loaded from outside the bundle: {modules}").format(
                modules=", ".join(outside[:5])
            )
        )
    maps = Path("/proc/self/maps")
    if maps.is_file():
        libraries = {
            line.split(None, 5)[5].strip()
            for line in maps.read_text().splitlines()
            if len(line.split(None, 5)) == 6 and ".so" in line
        }
        foreign = sorted(
            lib
            for lib in libraries
            if not inside(lib)
            and any(
                part in lib.lower()
                for part in ("python", "site-packages", "pyside", "numpy", "qt6")
            )
        )
        if foreign:
            raise SelfTestError(
                _("libraries loaded from outside the bundle: {libraries}").format(
                    libraries=", ".join(foreign[:5])
                )
            )
    return _("bundle: every module and Python/Qt library loaded comes from {folder}").format(
        folder=bundle
    )


class Driver:
    """Types into and clicks the real widgets, found by their object names."""

    def __init__(self, app, window):
        self.app = app
        self.window = window

    def find(self, cls, name: str):
        widget = self.window.findChild(cls, name)
        if widget is None:
            raise SelfTestError(
                _("the window has no {kind} named {name}").format(
                    kind=cls.__name__, name=repr(name)
                )
            )
        return widget

    def type_into(self, name: str, text: str) -> None:
        """Select what the box holds, type ``text`` and press Enter, as a user would."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QAbstractSpinBox

        box = self.find(QAbstractSpinBox, name)
        line = box.lineEdit()
        box.setFocus()
        line.selectAll()
        QTest.keyClicks(line, text)
        QTest.keyClick(line, Qt.Key.Key_Return)
        self.app.processEvents()

    def click(self, name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPushButton

        QTest.mouseClick(self.find(QPushButton, name), Qt.MouseButton.LeftButton)
        self.app.processEvents()

    def box(self, name: str) -> float:
        from PySide6.QtWidgets import QAbstractSpinBox

        return number(self.find(QAbstractSpinBox, name).text())

    def label(self, name: str) -> float:
        from PySide6.QtWidgets import QLabel

        return number(self.find(QLabel, name).text())

    def weights(self) -> list[float]:
        return [float(w) for w in self.window.session.current.weights]

    def set_problem(self, inputs, weights, target: float, rate: float) -> None:
        self.type_into("input_count", str(len(inputs)))
        for i, (x, w) in enumerate(zip(inputs, weights)):
            self.type_into(f"input_{i}", repr(x))
            self.type_into(f"weight_{i}", repr(w))
        self.type_into("target", repr(target))
        self.type_into("learning_rate", repr(rate))
        self.click("reset_button")


def check_two_input_example(driver: Driver) -> str:
    driver.set_problem([3.0, 4.0], [1.0, 2.0], 6.0, 0.01)
    expect_close(_("two inputs: prediction shown"), driver.label("prediction_value"), 11.0)
    expect_close(_("two inputs: error shown"), driver.label("error_value"), 5.0)
    driver.click("step_button")
    for i, expected in enumerate((0.7, 1.6)):
        what = _("two inputs, one Step: weight {number}").format(number=i + 1)
        shown = _("two inputs, one Step: weight {number} shown").format(number=i + 1)
        expect_close(shown, driver.box(f"weight_{i}"), expected)
        expect_close(what, driver.weights()[i], expected, 1e-12)
    expect_close(_("two inputs, one Step: error shown"), driver.label("error_value"), 2.5)
    return _("two-input slide: prediction 11, error 5; one Step: weights 0.7 and 1.6, error 2.5")


def check_one_weight_example(driver: Driver) -> str:
    driver.set_problem([3.0], [2.0], 10.0, 0.01)
    expect_close(_("one weight: error shown"), driver.label("error_value"), -4.0)
    driver.click("step_button")
    expect_close(_("one weight, one Step: weight shown"), driver.box("weight_0"), 2.24)
    expect_close(_("one weight, one Step: weight"), driver.weights()[0], 2.24, 1e-12)
    expect_close(
        _("one weight, one Step: prediction shown"), driver.label("prediction_value"), 6.72
    )
    expect_close(_("one weight, one Step: error shown"), driver.label("error_value"), -3.28)
    return _("one-weight slide: error -4; one Step: weight 2.24, error -3.28")


def course_steps(inputs, weights, target: float, rate: float, steps: int) -> list[float]:
    """The chapter's update done by hand, without the engine: what the window must show."""
    weights = list(weights)
    for _step in range(steps):
        error = sum(w * x for w, x in zip(weights, inputs)) - target
        weights = [w - rate * 2.0 * error * x for w, x in zip(weights, inputs)]
    return weights


def check_many_steps(driver: Driver) -> str:
    """Hundreds of clicks on Step: a binding that crashes after a few dozen calls fails here."""
    driver.set_problem([3.0, 4.0], [1.0, 2.0], 6.0, 0.01)
    for _step in range(MANY_STEPS):
        driver.click("step_button")
    expect_close(
        _("after many Steps: iteration shown"), driver.label("iteration_value"), MANY_STEPS
    )
    expected = course_steps([3.0, 4.0], [1.0, 2.0], 6.0, 0.01, MANY_STEPS)
    for i, value in enumerate(expected):
        what = _("after many Steps: weight {number}").format(number=i + 1)
        shown = _("after many Steps: weight {number} shown").format(number=i + 1)
        expect_close(what, driver.weights()[i], value, 1e-9)
        expect_close(shown, driver.box(f"weight_{i}"), value)
    return _("{count} Steps: the weights the chapter's update gives, shown and kept").format(
        count=MANY_STEPS
    )


def check_run_pause_reset(driver: Driver) -> str:
    session = driver.window.session
    driver.set_problem([3.0, 4.0], [1.0, 2.0], 6.0, 0.0005)  # it crawls: Run does not stop itself
    before = session.iteration
    driver.click("run_button")
    deadline = time.monotonic() + 10.0
    while session.iteration < before + 20 and time.monotonic() < deadline:
        driver.app.processEvents()
        time.sleep(0.005)
    driver.click("run_button")  # the same button pauses
    if session.is_running or session.iteration < before + 20:
        raise SelfTestError(
            _("Run made {count} steps in 10 s, then no pause").format(
                count=session.iteration - before
            )
        )
    paused_at = session.iteration
    for _step in range(20):
        driver.app.processEvents()
        time.sleep(0.005)
    expect_close(_("after Pause: iteration"), session.iteration, paused_at)
    expect_close(_("after Pause: iteration shown"), driver.label("iteration_value"), paused_at)
    driver.click("reset_button")
    expect_close(_("after Reset: iteration shown"), driver.label("iteration_value"), 0)
    expect_close(_("after Reset: weight 1 shown"), driver.box("weight_0"), 1.0)
    expect_close(_("after Reset: prediction shown"), driver.label("prediction_value"), 11.0)
    return _("Run went {count} steps, Pause held them, Reset went back to 11").format(
        count=paused_at - before
    )


def check_hidden_layer_lesson(driver: Driver) -> str:
    from PySide6.QtWidgets import QComboBox

    from gd_desktop.core.presets import PRESETS

    index = next(i for i, preset in enumerate(PRESETS) if preset.id == HIDDEN_PRESET)
    combo = driver.find(QComboBox, "preset_combo")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what choosing the item with the mouse sends
    driver.app.processEvents()
    if driver.window.session.problem.hidden_count == 0:
        raise SelfTestError(
            _("choosing the preset {preset} gave no hidden layer").format(preset=HIDDEN_PRESET)
        )
    start = driver.label("loss_value")
    for _step in range(HIDDEN_STEPS):
        driver.click("step_button")
    end = driver.label("loss_value")
    expect_close(_("hidden layer: iteration shown"), driver.label("iteration_value"), HIDDEN_STEPS)
    expect_close(_("hidden layer: loss shown"), end, driver.window.session.current.loss)
    if not end < start / 2:
        raise SelfTestError(
            _("hidden layer: {count} Steps took the loss from {start} to {end}").format(
                count=HIDDEN_STEPS, start=start, end=end
            )
        )
    return _("hidden-layer lesson: {count} Steps took the loss from {start:g} to {end:g}").format(
        count=HIDDEN_STEPS, start=start, end=end
    )


def check_lesson_file(driver: Driver) -> str:
    """Saved to a temporary folder and opened again: the same problem and weights come back."""
    import tempfile

    from gd_desktop.core import lesson

    session = driver.window.session
    problem, weights = session.problem, [float(w) for w in session.current.weights]
    saved = lesson.Lesson(
        title="self-test",
        notes="",
        inputs=problem.inputs,
        targets=problem.targets,
        weights=weights,
        learning_rate=problem.learning_rate,
        hidden_count=problem.hidden_count,
        activation=problem.activation,
    )
    with tempfile.TemporaryDirectory(prefix="gd-desktop-self-test-") as folder:
        path = Path(folder) / "self-test.gdlesson"
        lesson.save(saved, path)
        driver.click("reset_button")
        opened = lesson.load(path)
    if not session.load_run(opened.problem, opened.weights, opened.history):
        raise SelfTestError(_("the saved lesson could not be opened again"))
    driver.app.processEvents()
    for i, value in enumerate(weights):
        what = _("reopened lesson: weight {number}").format(number=i + 1)
        expect_close(what, driver.weights()[i], value, 1e-15)
    expect_close(_("reopened lesson: loss shown"), driver.label("loss_value"), session.current.loss)
    return _("lesson file saved in a temporary folder and reopened: the same weights and loss")


def ok(check: str) -> str:
    """One passed check's line, as a whole sentence for the translators."""
    # TRANSLATORS: a line of gd-desktop --self-test: a check that passed, then what it checked.
    return _("ok  {check}").format(check=check)


def run_self_test(say: Callable[[str], None] = print) -> None:
    """Every check, in order; raises SelfTestError (or any error) at the first that fails."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        # Before the QApplication exists: without a display Qt would abort (exit 134) instead.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    say(ok(check_numpy()))

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from gd_desktop import __version__
    from gd_desktop.app import build_window, prepare_application

    if getattr(sys, "frozen", False):
        say(ok(check_bundle_contents()))
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "gd-desktop"])
    prepare_application(app)
    if app.windowIcon().isNull():
        raise SelfTestError(_("the application has no window icon (icon files missing?)"))
    if QGuiApplication.desktopFileName() != "gd-desktop":
        raise SelfTestError(
            _("desktop file name is {name}, not 'gd-desktop'").format(
                name=repr(QGuiApplication.desktopFileName())
            )
        )
    say(
        ok(
            _("Qt {platform} platform; window icon and desktop file name set").format(
                platform=QGuiApplication.platformName()
            )
        )
    )

    window = build_window()
    # The checks type into the window; closing it must not stop to ask about saving them.
    window.confirm_unsaved = lambda: "discard"
    try:
        window.show()
        app.processEvents()
        driver = Driver(app, window)
        say(ok(check_two_input_example(driver)))
        say(ok(check_one_weight_example(driver)))
        say(ok(check_many_steps(driver)))
        say(ok(check_run_pause_reset(driver)))
        say(ok(check_hidden_layer_lesson(driver)))
        say(ok(check_lesson_file(driver)))
    finally:
        window.session.pause()
        window.close()
        window.deleteLater()
        app.processEvents()
    if getattr(sys, "frozen", False):
        say(ok(check_isolation()))
    say(ok(_("gd-desktop {version}").format(version=__version__)))


def main(argv: list[str] | None = None) -> int:
    """``gd-desktop --self-test``: 0 and ``OK``, or 1 and the reason."""
    args = list(sys.argv[2:] if argv is None else argv)
    if args:
        print(
            _("gd-desktop: error: --self-test takes no argument, got {argument}").format(
                argument=repr(args[0])
            ),
            file=sys.stderr,
        )
        return 2
    watchdog = sys.stderr is not None and hasattr(sys.stderr, "fileno")
    if watchdog:
        try:
            faulthandler.dump_traceback_later(TIMEOUT_SECONDS, exit=True)
        except (OSError, ValueError, RuntimeError):
            watchdog = False
    qt_messages: list[str] = []
    _capture_qt_messages(qt_messages)
    started = time.perf_counter()
    try:
        print(_("gd-desktop self-test"))
        run_self_test()
    except SelfTestError as failure:
        _report_failure(str(failure), qt_messages)
        return 1
    except Exception as error:  # anything at all: say what, with the traceback
        _report_failure(f"{type(error).__name__}: {error}\n{traceback.format_exc()}", qt_messages)
        return 1
    finally:
        if watchdog:
            faulthandler.cancel_dump_traceback_later()
    print(
        _("gd-desktop self-test: OK ({seconds:.1f} s)").format(
            seconds=time.perf_counter() - started
        )
    )
    return 0


_handlers: list[Callable] = []  # Qt keeps only a borrowed reference to its message handler


def _capture_qt_messages(messages: list[str]) -> None:
    """Keep Qt's warnings quiet unless the self-test fails, then show them with the reason."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message):
        messages.append(message)

    _handlers.append(handler)
    qInstallMessageHandler(handler)


def _report_failure(reason: str, qt_messages: list[str]) -> None:
    print(_("gd-desktop self-test: FAILED: {reason}").format(reason=reason), file=sys.stderr)
    for message in qt_messages[-20:]:
        print(_("  Qt said: {message}").format(message=message), file=sys.stderr)
