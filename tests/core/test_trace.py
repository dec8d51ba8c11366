"""`gd-desktop trace`: the course's numbers printed headless as JSON, CSV or a table."""

from __future__ import annotations

import csv
import io
import math
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import strict_json, trace, trace_json

ROOT = Path(__file__).resolve().parents[2]


def words(text: str) -> list[str]:
    """Split a command line (or a list of column names) as a shell would."""
    return shlex.split(text)


EXAMPLE_1 = words("--weights 2 --inputs 3 --target 10 --learning-rate 0.01")
EXAMPLE_2 = words("--weights 1 2 --inputs 3 4 --target 6 --learning-rate 0.01")
THREE_ROWS = words(
    "--weights 0.5 -0.25 --inputs 1 2 --inputs 3 -1 --inputs 0.5 4"
    " --target 1 --target 2 --target 3 --learning-rate 0.05"
)
STEP_KEYS = {"iteration", "weights", "predictions", "errors", "loss", "gradient"}


def numbers_in(value):
    """Every number in a parsed JSON document."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int | float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers_in(item)
    else:
        for item in value:
            yield from numbers_in(item)


def slow_step(inputs, targets, weights, rate):
    """The course's formulas in plain Python: errors, mean loss, mean 2·e·x, next weights."""
    n = len(inputs)
    errors = [sum(w * x for w, x in zip(weights, row)) - t for row, t in zip(inputs, targets)]
    loss = sum(e * e for e in errors) / n
    gradient = [
        sum(2 * e * row[i] for e, row in zip(errors, inputs)) / n for i in range(len(weights))
    ]
    return errors, loss, gradient, [w - rate * g for w, g in zip(weights, gradient)]


# --- JSON -----------------------------------------------------------------------------------


def test_json_slide_example_1_matches_the_course(capsys):
    """JSON for example 1: iteration 0 is the start (6, −4, −24), then 2.24 and 2.4368."""
    document = trace_json(capsys, *EXAMPLE_1, "--steps", "2")
    steps = document["steps"]
    assert [s["iteration"] for s in steps] == [0, 1, 2]
    assert all(set(s) == STEP_KEYS for s in steps)
    start = steps[0]
    assert start["weights"] == [2.0]
    assert start["predictions"] == [6.0]
    assert start["errors"] == [-4.0]
    assert start["gradient"] == [-24.0]
    assert start["loss"] == 16.0
    assert steps[1]["weights"] == [pytest.approx(2.24, rel=1e-12)]
    assert steps[1]["predictions"] == [pytest.approx(6.72, rel=1e-12)]
    assert steps[1]["errors"] == [pytest.approx(-3.28, rel=1e-12)]
    assert steps[2]["weights"] == [pytest.approx(2.4368, rel=1e-12)]
    assert document["learning_rate"] == 0.01
    assert document["inputs"] == [[3.0]]
    assert document["targets"] == [10.0]
    assert document["critical_learning_rate"] == pytest.approx(1 / 9, rel=1e-12)
    assert document["diverged"] is False
    assert document["diverged_at"] is None


def test_json_slide_example_2_matches_the_course(capsys):
    """JSON for example 2: 11, 5, [30, 40], then [0.7, 1.6] with prediction 8.5, error 2.5."""
    document = trace_json(capsys, *EXAMPLE_2, "--steps", "1")
    start, after = document["steps"]
    assert start["predictions"] == [11.0]
    assert start["errors"] == [5.0]
    assert start["gradient"] == [30.0, 40.0]
    assert after["weights"] == pytest.approx([0.7, 1.6], rel=1e-12)
    assert after["predictions"] == [pytest.approx(8.5, rel=1e-12)]
    assert after["errors"] == [pytest.approx(2.5, rel=1e-12)]
    assert document["critical_learning_rate"] == pytest.approx(0.04, rel=1e-12)


def test_json_default_is_ten_steps_and_zero_steps_is_the_start(capsys):
    """Without --steps there are 11 records (start + 10); --steps 0 gives only the start."""
    assert len(trace_json(capsys, *EXAMPLE_1)["steps"]) == 11
    only = trace_json(capsys, *EXAMPLE_1, "--steps", "0")["steps"]
    assert len(only) == 1
    assert only[0]["iteration"] == 0
    assert only[0]["weights"] == [2.0]


def test_json_diverging_run_is_flagged_and_strictly_finite(capsys):
    """lr 10 on example 1 diverges: diverged true, diverged_at set, every number finite."""
    status, out, err = trace(capsys, *EXAMPLE_1[:-1], "10", "--steps", "2000", "--format", "json")
    assert (status, err) == (0, "")
    document = strict_json(out)
    assert document["learning_rate"] == 10.0
    assert document["diverged"] is True
    assert isinstance(document["diverged_at"], int)
    assert 0 < document["diverged_at"] < 2000
    assert len(document["steps"]) == document["diverged_at"]
    assert all(math.isfinite(x) for x in numbers_in(document))
    losses = [s["loss"] for s in document["steps"]]
    assert losses[-1] > 1e100 * losses[0]


def test_json_several_rows_uses_the_mean_over_rows(capsys):
    """Three rows: errors per row, loss = mean of squares, slope = mean of 2·error·input."""
    inputs = [[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]
    targets = [1.0, 2.0, 3.0]
    document = trace_json(capsys, *THREE_ROWS, "--steps", "3")
    assert document["inputs"] == inputs
    assert document["targets"] == targets
    weights = [0.5, -0.25]
    for step in document["steps"]:
        errors, loss, gradient, following = slow_step(inputs, targets, weights, 0.05)
        assert step["weights"] == pytest.approx(weights, rel=1e-12)
        assert step["errors"] == pytest.approx(errors, rel=1e-12)
        assert step["loss"] == pytest.approx(loss, rel=1e-12)
        assert step["gradient"] == pytest.approx(gradient, rel=1e-12)
        weights = following


def test_targets_may_be_given_together_or_one_per_flag(capsys):
    """`--target 1 2 3` and `--target 1 --target 2 --target 3` give the same run."""
    start = THREE_ROWS.index("--target")
    separate = THREE_ROWS[start : start + 6]
    assert separate == ["--target", "1", "--target", "2", "--target", "3"]
    together = [*THREE_ROWS[:start], "--target", "1", "2", "3", *THREE_ROWS[start + 6 :]]
    assert trace_json(capsys, *together) == trace_json(capsys, *THREE_ROWS)


def test_negative_numbers_in_scientific_notation_are_accepted(capsys):
    """A weight of -1e-3 (ASCII or Unicode minus) is a number, not an unknown option."""
    for minus in ("-", "−"):
        document = trace_json(
            capsys,
            *["--weights", f"{minus}1e-3", "--inputs", f"{minus}2.5E+0", "--target", "1"],
            *["--learning-rate", "1e-2", "--steps", "0"],
        )
        assert document["steps"][0]["weights"] == [-0.001]
        assert document["inputs"] == [[-2.5]]


def test_all_zero_inputs_have_no_critical_rate(capsys):
    """When every input is 0 the JSON critical rate is null and the table says so."""
    args = ["--weights", "1", "--inputs", "0", "--target", "2", "--learning-rate", "100"]
    assert trace_json(capsys, *args)["critical_learning_rate"] is None
    status, out, _ = trace(capsys, *args)
    assert status == 0
    assert "no learning rate diverges" in out


def test_huge_inputs_give_a_tiny_critical_rate_without_warnings(capsys):
    """Inputs of ±1e200 (XᵀX overflows) still give a finite rate and nothing on stderr."""
    args = ["--weights", "0", "0", "--inputs", "1e200", "-1e200", "--inputs", "1e200", "1e200"]
    args += ["--target", "0", "0", "--learning-rate", "0.01", "--steps", "1"]
    document = trace_json(capsys, *args)
    assert document["critical_learning_rate"] is not None
    assert 0.0 <= document["critical_learning_rate"] < 1e-300
    status, out, err = trace(capsys, *args)
    assert (status, err) == (0, "")
    assert "every input is 0" not in out


# --- CSV ------------------------------------------------------------------------------------


def test_csv_example_1_has_header_and_one_row_per_iteration(capsys):
    """CSV for example 1: the column header, then rows 0..2 with the course's numbers."""
    status, out, err = trace(capsys, *EXAMPLE_1, "--steps", "2", "--format", "csv")
    assert (status, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["iteration", "weight_0", "prediction_0", "error_0", "loss", "gradient_0"]
    assert len(rows) == 4
    table = [dict(zip(rows[0], map(float, row))) for row in rows[1:]]
    assert [r["iteration"] for r in table] == [0, 1, 2]
    assert (table[0]["weight_0"], table[0]["prediction_0"], table[0]["error_0"]) == (2, 6, -4)
    assert (table[0]["loss"], table[0]["gradient_0"]) == (16, -24)
    assert table[1]["weight_0"] == pytest.approx(2.24, rel=1e-12)
    assert table[1]["prediction_0"] == pytest.approx(6.72, rel=1e-12)
    assert table[1]["error_0"] == pytest.approx(-3.28, rel=1e-12)
    assert table[2]["weight_0"] == pytest.approx(2.4368, rel=1e-12)


def test_csv_several_rows_matches_json_exactly(capsys):
    """CSV with three rows has a column per weight and per row, equal to the JSON numbers."""
    status, out, _ = trace(capsys, *THREE_ROWS, "--steps", "4", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == words(
        "iteration weight_0 weight_1 prediction_0 prediction_1 prediction_2"
        " error_0 error_1 error_2 loss gradient_0 gradient_1"
    )
    steps = trace_json(capsys, *THREE_ROWS, "--steps", "4")["steps"]
    assert len(rows) == len(steps) == 5
    for row, step in zip(rows, steps):
        assert int(row["iteration"]) == step["iteration"]
        assert [float(row[f"weight_{i}"]) for i in range(2)] == step["weights"]
        assert [float(row[f"prediction_{r}"]) for r in range(3)] == step["predictions"]
        assert [float(row[f"error_{r}"]) for r in range(3)] == step["errors"]
        assert float(row["loss"]) == step["loss"]
        assert [float(row[f"gradient_{i}"]) for i in range(2)] == step["gradient"]


# --- table ----------------------------------------------------------------------------------


def test_table_is_the_default_and_shows_the_course_numbers(capsys):
    """The default table has a header, one line per iteration, and the slide's figures."""
    status, out, err = trace(capsys, *EXAMPLE_1, "--steps", "2")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == words("iteration weight_0 prediction_0 error_0 loss gradient_0")
    assert lines[1].split() == ["0", "2", "6", "-4", "16", "-24"]
    assert lines[2].split()[:4] == ["1", "2.24", "6.72", "-3.28"]
    assert lines[3].split()[:2] == ["2", "2.4368"]
    assert "0.111111" in out  # the critical rate 1/9
    assert "diverged:" not in out
    assert len({len(line) for line in lines[:4]}) == 1  # columns are aligned


def test_table_reports_divergence(capsys):
    """A diverging table run ends by naming the iteration where the numbers blew up."""
    status, out, _ = trace(capsys, *EXAMPLE_2[:-1], "1", "--steps", "2000", "--format", "table")
    document = trace_json(capsys, *EXAMPLE_2[:-1], "1", "--steps", "2000")
    assert status == 0
    assert out.splitlines()[-1] == (
        f"diverged: the numbers stopped being finite at iteration {document['diverged_at']}"
    )
    assert "nan" not in out.lower()
    assert "inf" not in out.lower()


# --- bad arguments --------------------------------------------------------------------------


E1 = " ".join(EXAMPLE_1)
BAD_ARGUMENTS = {
    "one weight too many": "--weights 1 2 --inputs 3 --target 10 --learning-rate 0.1",
    "one target too many": "--weights 1 --inputs 3 --target 10 11 --learning-rate 0.1",
    "a target missing": "--weights 1 --inputs 3 --inputs 4 --target 10 --learning-rate 0.1",
    "abc as a weight": "--weights abc --inputs 3 --target 10 --learning-rate 0.1",
    "abc as a learning rate": "--weights 2 --inputs 3 --target 10 --learning-rate abc",
    "negative steps": f"{E1} --steps -3",
    "fractional steps": f"{E1} --steps 1.5",
    "nan as an input": "--weights 1 --inputs nan --target 10 --learning-rate 0.1",
    "infinity as a target": "--weights 1 --inputs 3 --target inf --learning-rate 0.1",
    "negative learning rate": "--weights 2 --inputs 3 --target 10 --learning-rate -0.1",
    "rows of different widths": "--weights 1 2 --inputs 1 2 --inputs 3 --target 1 2"
    " --learning-rate 0.1",
    "unknown format": f"{E1} --format xml",
    "missing --weights": "--inputs 3 --target 10 --learning-rate 0.1",
    "missing --inputs": "--weights 2 --target 10 --learning-rate 0.1",
    "missing --learning-rate": "--weights 2 --inputs 3 --target 10",
    "too many inputs": f"--weights {'1 ' * 11}--inputs {'1 ' * 11}--target 1 --learning-rate 0.1",
    "unknown argument": f"{E1} --verbose",
    "overflowing start": "--weights 1e200 --inputs 1e200 --target 0 --learning-rate 0.1"
    " --format json",
}


@pytest.mark.parametrize("args", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_bad_arguments_exit_2_with_one_line(capsys, args):
    """A bad argument gives status 2, nothing on stdout and one error line, no traceback."""
    status, out, err = trace(capsys, *words(args))
    assert status == 2
    assert out == ""
    assert err.endswith("\n")
    assert len(err.splitlines()) == 1
    assert err.startswith("gd-desktop trace: error: ")
    assert "Traceback" not in err


# --- a real process -------------------------------------------------------------------------


def run_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gd_desktop", "trace", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def test_subprocess_prints_the_course_example_as_json():
    """`python -m gd_desktop trace --format json` exits 0 with the slide's numbers."""
    result = run_process(*EXAMPLE_2, "--steps", "1", "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    steps = strict_json(result.stdout)["steps"]
    assert steps[0]["gradient"] == [30.0, 40.0]
    assert steps[1]["weights"] == pytest.approx([0.7, 1.6], rel=1e-12)


def test_subprocess_bad_argument_exits_2_with_one_line():
    """In a real process a non-number exits 2 with one stderr line and no traceback."""
    result = run_process(*words(BAD_ARGUMENTS["abc as a weight"]))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "'abc' is not a number" in result.stderr
    assert "Traceback" not in result.stderr
