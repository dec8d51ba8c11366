"""How fast the window feels, as ratios against floors measured in the same run.

Run:  .venv/bin/python benchmarks/bench_gui.py        (offscreen unless QT_QPA_PLATFORM is set)

a. start to first painted window: a fresh process that runs what `gd-desktop` runs
   (gd_desktop.app.open_window), shows the window and waits for the first paint, vs. a fresh
   process showing a bare QMainWindow of the same size that holds one pyqtgraph PlotWidget
   (target ≤ 1.2). The package's bytecode is compiled first, as the set-up script and an
   installer leave it. The app starts numpy with one BLAS thread and pauses the garbage
   collector while it imports Qt and builds (gd_desktop.app.collector_paused);
   a third process shows the floor window with the same two settings, so the report also says
   what the app's own window costs over a floor tuned like it.
b. one Step: a click on the Step button, then both plots repainted, vs. two pyqtgraph curves in a
   window of the same size getting setData with small arrays, repainted the same way (target ≤ 2).
c. flatness: that Step with 10^5 iterations of history vs. with 10 (target ≤ 1.5).
d. Run at full speed for ~2 s: frames (repaints) per second and engine steps per frame.

Prints a table and writes everything measured to benchmarks/results/latest.json.
This is a benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"

STARTUP_RUNS = 15  # this machine's start-up times vary by ±20 % from one process to the next
STEP_ROUNDS = 20  # alternating app / floor blocks, each from a fresh short history
STEPS_PER_ROUND = 10
FLAT_BLOCK = 50  # Steps per block in the flatness measure: (long, short, short, long) twice
WARMUP_STEPS = 20
LONG_HISTORY = 100_000
# A rate small enough that the default two-input problem neither converges nor diverges in
# LONG_HISTORY steps (critical rate 0.04; at the default 0.01 it converges in ~50 steps and stops).
SLOW_LEARNING_RATE = 1e-6
RUN_SECONDS = 2.0

TARGETS = {"startup": 1.2, "step": 2.0, "flatness": 1.5, "fps": 60.0}


def quiet_offscreen_notice() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()"; print the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message):
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


# --------------------------------------------------------------------------- child: startup
def child_startup(kind: str, width: int = 0, height: int = 0) -> None:
    """Import, build, show; print the timings once the first paint is over; exit."""
    started = time.perf_counter()
    if kind == "app":  # exactly what `gd-desktop` runs before it shows the window
        from gd_desktop.app import open_window

        imported = time.perf_counter()
        app, window = open_window()
    else:
        import gc

        if kind == "floor_tuned":  # gd_desktop/__init__.py and collector_paused, without the app
            os.environ["OPENBLAS_NUM_THREADS"] = "1"
            gc.disable()
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([sys.argv[0]])
        import pyqtgraph as pg

        imported = time.perf_counter()
        window = QMainWindow()
        window.setCentralWidget(pg.PlotWidget())
        window.resize(width, height)
        if kind == "floor_tuned":
            gc.freeze()
            gc.enable()
    built = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QTimer

    def finish() -> None:
        painted = time.perf_counter()
        print(
            json.dumps(
                {
                    "import": imported - started,
                    "build": built - imported,
                    "show_to_paint": painted - built,
                    "in_process": painted - started,
                    "size": [window.width(), window.height()],
                }
            ),
            flush=True,
        )
        app.quit()

    class FirstPaint(QObject):
        """The first Paint event of any widget in the window (a central widget that covers it
        all means the QMainWindow itself may never get one)."""

        seen = False

        def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and watched.isWidgetType()
                and watched.window() is window
            ):
                self.seen = True
                # The rest of this paint pass (every dirty widget) runs before a 0 ms timer.
                QTimer.singleShot(0, finish)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)  # only from show() on: building the window is not slowed
    window.show()
    QTimer.singleShot(30_000, lambda: (print("null", flush=True), app.exit(3)))
    sys.exit(app.exec())


def time_startup(kind: str, size: tuple[int, int] = (0, 0)) -> dict:
    """Wall time from spawning the process to its report of the first paint."""
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child-startup", kind, *map(str, size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    wall = time.perf_counter() - t0
    _, errors = process.communicate(timeout=60)
    report = json.loads(line) if line.strip() else None
    if not report:
        raise RuntimeError(
            f"startup child {kind!r} never painted (exit {process.returncode}):\n{errors}"
        )
    report["wall"] = wall
    return report


def compile_package() -> None:
    """Stale bytecode would time the compiler, not the app (PYTHONDONTWRITEBYTECODE keeps it
    stale)."""
    import compileall

    compileall.compile_dir(HERE.parent / "gd_desktop", quiet=1)


def bench_startup() -> dict:
    compile_package()
    # Warm the disk cache; the app's first start also says what size its window takes on this
    # screen, and the floor window is given the same size, so both paint as many pixels.
    size = tuple(time_startup("app")["size"])
    time_startup("floor", size)
    kinds = ("app", "floor", "floor_tuned")
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for i in range(STARTUP_RUNS):
        for kind in kinds[i % 3 :] + kinds[: i % 3]:  # each kind first as often as the others
            runs[kind].append(time_startup(kind, size))
    out = {}
    for kind, reports in runs.items():
        out[kind] = {
            "wall_s": [r["wall"] for r in reports],
            "median_wall_s": statistics.median(r["wall"] for r in reports),
            "median_import_s": statistics.median(r["import"] for r in reports),
            "median_build_s": statistics.median(r["build"] for r in reports),
            "median_show_to_paint_s": statistics.median(r["show_to_paint"] for r in reports),
            "window_size": reports[0]["size"],
        }
    out["ratio"] = out["app"]["median_wall_s"] / out["floor"]["median_wall_s"]
    out["ratio_to_tuned_floor"] = out["app"]["median_wall_s"] / out["floor_tuned"]["median_wall_s"]
    return out


# --------------------------------------------------------------------------- in-process parts
class Gui:
    """The app's window and the floor window, shown side by side in one QApplication."""

    def __init__(self):
        import numpy as np
        import pyqtgraph as pg
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

        from gd_desktop.app import build_window

        self.np = np
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.window = build_window()
        self.window.confirm_unsaved = lambda: "discard"  # quitting must not stop to ask
        self.window.show()
        self.settle()
        self.plots = [self.window.error_plot, self.window.loss_plot]
        assert self.window.findChild(pg.PlotWidget, "error_plot") is self.plots[0]
        assert self.window.findChild(pg.PlotWidget, "loss_plot") is self.plots[1]

        # The floor: the same window size, two plots of the app's plot sizes, one curve each.
        self.floor = QMainWindow()
        central = QWidget()
        column = QVBoxLayout(central)
        self.floor_plots = []
        self.floor_curves = []
        for plot in self.plots:
            floor_plot = pg.PlotWidget()
            floor_plot.setFixedSize(plot.size())
            column.addWidget(floor_plot)
            self.floor_plots.append(floor_plot)
            # A PlotCurveItem, as the app's curves are: the least a curve costs in pyqtgraph.
            curve = pg.PlotCurveItem([], [], pen=pg.mkPen("#0072B2", width=3))
            floor_plot.addItem(curve)
            self.floor_curves.append(curve)
        self.floor.setCentralWidget(central)
        self.floor.resize(self.window.size())
        self.floor.show()
        self.floor_k = 0
        self.settle()

        class PaintCounter(QObject):
            count = 0

            def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
                if event.type() == QEvent.Type.Paint:
                    self.count += 1
                return False

        self.paints = [PaintCounter() for _ in self.plots]
        for plot, counter in zip(self.plots, self.paints, strict=True):
            plot.viewport().installEventFilter(counter)

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    # One step each, timed by the caller; both end with the same forced repaint.
    def app_step(self) -> None:
        self.window.step_button.click()
        for plot in self.plots:
            plot.viewport().repaint()
        self.app.processEvents()

    def floor_step(self) -> None:
        np = self.np
        self.floor_k += 1
        x = np.arange(self.floor_k, self.floor_k + 10, dtype=float)
        for offset, curve in enumerate(self.floor_curves):
            curve.setData(x, np.sin(x * 0.3 + offset))
        for plot in self.floor_plots:
            plot.viewport().repaint()
        self.app.processEvents()

    # The lesson's state before a timed step (never timed).
    def short_history(self, rate: float | None = None) -> None:
        """Reset, then 9 steps: the next click is the 11th record (10 iterations of history)."""
        session = self.window.session
        if rate is not None and session.problem.learning_rate != rate:
            session.set_learning_rate(rate)
        session.reset()
        session._advance(9)
        session.stepped.emit()
        self.settle()

    def long_history(self, rate: float, size: int = 0) -> None:
        size = size or LONG_HISTORY
        session = self.window.session
        if session.problem.learning_rate != rate:
            session.set_learning_rate(rate)
        session.reset()
        session._advance(size - 1)
        if session.iteration < size - 1:
            raise RuntimeError(f"the run stopped at iteration {session.iteration}")
        session.stepped.emit()
        self.settle()


def timed(step, count: int) -> list[float]:
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return times


def bench_step(gui: Gui) -> dict:
    """The default lesson (rate 0.01) at 10–20 iterations, vs. the floor."""
    gui.short_history()
    timed(gui.app_step, WARMUP_STEPS)
    timed(gui.floor_step, WARMUP_STEPS)
    app_times: list[float] = []
    floor_times: list[float] = []
    for i in range(STEP_ROUNDS):
        gui.short_history()  # stays well before convergence (~50 iterations at this rate)
        block = [("app", gui.app_step, app_times), ("floor", gui.floor_step, floor_times)]
        if i % 2:
            block.reverse()
        for _, step, sink in block:
            sink.extend(timed(step, STEPS_PER_ROUND))
    app_median = statistics.median(app_times)
    floor_median = statistics.median(floor_times)
    return {
        "app_median_s": app_median,
        "floor_median_s": floor_median,
        "app_p90_s": statistics.quantiles(app_times, n=10)[-1],
        "floor_p90_s": statistics.quantiles(floor_times, n=10)[-1],
        "samples": len(app_times),
        "ratio": app_median / floor_median,
    }


def bench_flatness(gui: Gui, size: int = LONG_HISTORY) -> dict:
    """The same Step at 10 and at ``size`` iterations, with a rate that keeps the run going."""
    short: list[float] = []
    long: list[float] = []
    builds = []
    # long, short, short, long, twice: the machine's speed drifts over seconds, and this order
    # gives both kinds the same share of early and late. Back-to-back long blocks share a build.
    previous = None
    for kind in ("long", "short", "short", "long") * 2:
        if kind == "long":
            if previous != "long":  # a short block replaced the history: build it again
                t0 = time.perf_counter()
                gui.long_history(SLOW_LEARNING_RATE, size)
                builds.append(time.perf_counter() - t0)
                timed(gui.app_step, WARMUP_STEPS)
            long.extend(timed(gui.app_step, FLAT_BLOCK))
        else:
            for _ in range(FLAT_BLOCK // STEPS_PER_ROUND):
                gui.short_history(SLOW_LEARNING_RATE)
                short.extend(timed(gui.app_step, STEPS_PER_ROUND))
        previous = kind
    short_median = statistics.median(short)
    long_median = statistics.median(long)
    return {
        "learning_rate": SLOW_LEARNING_RATE,
        "short_iterations": 10,
        "long_iterations": size,
        "build_long_history_s": statistics.median(builds),
        "short_median_s": short_median,
        "long_median_s": long_median,
        "ratio": long_median / short_median,
    }


def bench_run(gui: Gui) -> dict:
    """Full speed for RUN_SECONDS with a real event loop: frames and steps per frame."""
    from PySide6.QtCore import QTimer

    window = gui.window
    session = window.session
    if session.problem.learning_rate != SLOW_LEARNING_RATE:
        session.set_learning_rate(SLOW_LEARNING_RATE)
    session.reset()
    gui.settle()
    slider = window.speed_slider
    slider.setValue(slider.maximum())
    if session.steps_per_second is not None:
        raise RuntimeError("the speed slider's maximum is not 'as fast as possible'")
    emissions = 0

    def count() -> None:
        nonlocal emissions
        emissions += 1

    session.stepped.connect(count)
    start_iteration = session.iteration
    for counter in gui.paints:
        counter.count = 0
    window.run_button.click()
    if not session.is_running:
        raise RuntimeError("Run did not start")
    t0 = time.perf_counter()
    # exit(), not quit(): Qt 6's quit() first closes every window, and closing pauses the run.
    QTimer.singleShot(round(RUN_SECONDS * 1000), lambda: gui.app.exit(0))
    gui.app.exec()
    elapsed = time.perf_counter() - t0
    still_running = session.is_running
    session.pause()
    session.stepped.disconnect(count)
    steps = session.iteration - start_iteration
    return {
        "seconds": elapsed,
        "still_running_at_end": still_running,
        "stepped_emissions": emissions,
        "error_plot_paints": gui.paints[0].count,
        "loss_plot_paints": gui.paints[1].count,
        "iterations": steps,
        "frames_per_second": emissions / elapsed,
        "step_budget_at_end_s": session.step_budget,
        "error_plot_paints_per_frame": gui.paints[0].count / emissions if emissions else 0.0,
        "loss_plot_paints_per_frame": gui.paints[1].count / emissions if emissions else 0.0,
        "steps_per_frame": steps / emissions if emissions else 0.0,
        "steps_per_second": steps / elapsed,
    }


# --------------------------------------------------------------------------- report
def machine() -> dict:
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6 import QtCore

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": QtCore.qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
        "numpy": numpy.__version__,
        "qpa": os.environ.get("QT_QPA_PLATFORM"),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def quartiles(seconds: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(seconds, n=4)
    return f"{q1 * 1000:.0f}–{q3 * 1000:.0f} ms"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    began = time.perf_counter()
    print("a. start to first paint (fresh processes)…", flush=True)
    startup = bench_startup()
    quiet_offscreen_notice()
    gui = Gui()
    print("b. Step vs floor…", flush=True)
    step = bench_step(gui)
    print("c. Step at 10 vs 10^4 and 10^5 iterations…", flush=True)
    flat4 = bench_flatness(gui, 10_000)
    flat = bench_flatness(gui)
    print(f"d. Run at full speed for {RUN_SECONDS:g} s…", flush=True)
    run = bench_run(gui)
    # The floor's Step (two curves, setData, repaint) is the least a frame costs here: its rate
    # is the ceiling this machine's software rendering allows.
    run["floor_frames_per_second"] = 1 / step["floor_median_s"]
    run["ratio_to_floor"] = run["frames_per_second"] / run["floor_frames_per_second"]
    info = machine()
    total = time.perf_counter() - began

    rows = [
        (
            "a. start → first paint",
            ms(startup["app"]["median_wall_s"]),
            ms(startup["floor"]["median_wall_s"]),
            f"{startup['ratio']:.2f}",
            f"≤ {TARGETS['startup']}",
            verdict(startup["ratio"] <= TARGETS["startup"]),
        ),
        (
            "a. same, floor tuned like the app",
            ms(startup["app"]["median_wall_s"]),
            ms(startup["floor_tuned"]["median_wall_s"]),
            f"{startup['ratio_to_tuned_floor']:.2f}",
            f"≤ {TARGETS['startup']} (ours)",
            verdict(startup["ratio_to_tuned_floor"] <= TARGETS["startup"]),
        ),
        (
            "b. Step + repaint",
            ms(step["app_median_s"]),
            ms(step["floor_median_s"]),
            f"{step['ratio']:.2f}",
            f"≤ {TARGETS['step']}",
            verdict(step["ratio"] <= TARGETS["step"]),
        ),
        (
            "c. Step at 10^4 vs 10",
            ms(flat4["long_median_s"]),
            ms(flat4["short_median_s"]),
            f"{flat4['ratio']:.2f}",
            f"≤ {TARGETS['flatness']}",
            verdict(flat4["ratio"] <= TARGETS["flatness"]),
        ),
        (
            "c. Step at 10^5 vs 10",
            ms(flat["long_median_s"]),
            ms(flat["short_median_s"]),
            f"{flat['ratio']:.2f}",
            f"≤ {TARGETS['flatness']}",
            verdict(flat["ratio"] <= TARGETS["flatness"]),
        ),
        (
            "d. Run, full speed",
            f"{run['frames_per_second']:.1f} fps, {run['steps_per_frame']:.0f} steps/frame",
            f"{run['floor_frames_per_second']:.1f} fps (floor's most)",
            f"{run['ratio_to_floor']:.2f}",
            f"~{TARGETS['fps']:g} fps",
            verdict(run["frames_per_second"] >= 0.9 * TARGETS["fps"]),
        ),
    ]
    head = ("measure", "app", "floor / ref", "ratio", "target", "")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print()
    for r in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(
        f"\nstartup medians: app open_window (Qt, pyqtgraph, our modules, the window) "
        f"{ms(startup['app']['median_build_s'])}, show→paint "
        f"{ms(startup['app']['median_show_to_paint_s'])}; floor Qt and pyqtgraph "
        f"{ms(startup['floor']['median_import_s'])}, window "
        f"{ms(startup['floor']['median_build_s'])}, show→paint "
        f"{ms(startup['floor']['median_show_to_paint_s'])}; spread (quartiles) app "
        f"{quartiles(startup['app']['wall_s'])}, floor {quartiles(startup['floor']['wall_s'])}"
    )
    print(
        f"run: {run['iterations']} iterations in {run['seconds']:.2f} s "
        f"({run['steps_per_second']:.0f} steps/s), {run['stepped_emissions']} stepped signals, "
        f"{run['error_plot_paints']} error-plot and {run['loss_plot_paints']} loss-plot paints"
    )
    print(
        f"{info['nproc']} CPU(s), {info['cpu']}; Python {info['python']}, "
        f"PySide6 {info['pyside6']}, pyqtgraph {info['pyqtgraph']}; {total:.0f} s in all"
    )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": info,
        "targets": TARGETS,
        "startup": startup,
        "step": step,
        "flatness_10k": flat4,
        "flatness": flat,
        "run": run,
        "total_seconds": total,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child-startup":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        child_startup(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
