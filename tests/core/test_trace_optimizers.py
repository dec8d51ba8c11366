"""`gd-desktop trace` with optimizers and schedules: each option by its exact name, the rate and
the optimizer's state in the JSON and CSV (plain output unchanged), and `--format summary`."""

from __future__ import annotations

import csv
import io
import json
import math
import shlex

import numpy as np
import pytest

from gd_desktop.core import engine, trace_table
from gd_desktop.core.trace import as_summary, fast_summary
from tests.conftest import strict_json, trace, trace_json

EXAMPLE_2 = shlex.split("--weights 1 2 --inputs 3 4 --target 6 --learning-rate 0.01")
TWO_ROWS = shlex.split("--weights 1 2 --inputs 3 4 --inputs 1 -2 --target 6 1 --learning-rate 0.01")


def reference(optimizer: str, steps: int, settings: dict, schedule=("constant", 10, 0.1)):
    """The issue's rules written out anew on plain floats for the two-row problem: each step's
    weights, its rate and the state after it."""
    rows, targets, rate0 = [[3.0, 4.0], [1.0, -2.0]], [6.0, 1.0], 0.01
    kind, size, gamma = schedule
    mu, alpha = settings.get("momentum", 0.9), settings.get("alpha", 0.99)
    b1, b2, eps = (
        settings.get("beta1", 0.9),
        settings.get("beta2", 0.999),
        settings.get("epsilon", 1e-8),
    )
    w = [1.0, 2.0]
    first = [0.0, 0.0]
    second = [0.0, 0.0]
    out = [(w[:], rate0, [first[:], second[:]])]
    for k in range(steps):
        errors = [sum(wi * xi for wi, xi in zip(w, row)) - t for row, t in zip(rows, targets)]
        g = [sum(2 * e * row[i] for e, row in zip(errors, rows)) / 2 for i in range(2)]
        rate = {
            "constant": rate0,
            "step": rate0 * gamma ** (k // size),
            "exponential": rate0 * gamma**k,
            "inverse-time": rate0 / (1 + gamma * k),
        }[kind]
        t = k + 1
        for i in range(2):
            if optimizer == "gd":
                w[i] -= rate * g[i]
            elif optimizer in ("momentum", "nesterov"):
                first[i] = g[i] if t == 1 else mu * first[i] + g[i]
                step = first[i] if optimizer == "momentum" else g[i] + mu * first[i]
                w[i] -= rate * step
            elif optimizer == "adagrad":
                first[i] += g[i] ** 2
                w[i] -= rate * g[i] / (math.sqrt(first[i]) + eps)
            elif optimizer == "rmsprop":
                first[i] = alpha * first[i] + (1 - alpha) * g[i] ** 2
                w[i] -= rate * g[i] / (math.sqrt(first[i]) + eps)
            else:
                first[i] = b1 * first[i] + (1 - b1) * g[i]
                second[i] = b2 * second[i] + (1 - b2) * g[i] ** 2
                m_hat, v_hat = first[i] / (1 - b1**t), second[i] / (1 - b2**t)
                w[i] -= rate * m_hat / (math.sqrt(v_hat) + eps)
        out.append((w[:], rate, [first[:], second[:]]))
    return out


SYMBOLS = {"gd": (), "momentum": ("b",), "nesterov": ("b",), "adagrad": ("s",),
           "rmsprop": ("s",), "adam": ("m", "v")}  # fmt: skip
# Each option by its exact name, with a value away from its default (the setting it changes).
OPTIONS = {
    "momentum": ("--momentum 0.5", {"momentum": 0.5}),
    "nesterov": ("--momentum 0.7", {"momentum": 0.7}),
    "adagrad": ("--epsilon 1e-10", {"epsilon": 1e-10}),
    "rmsprop": ("--alpha 0.9 --epsilon 1e-6", {"alpha": 0.9, "epsilon": 1e-6}),
    "adam": ("--beta1 0.8 --beta2 0.99 --epsilon 1e-7", {"beta1": 0.8, "beta2": 0.99,
                                                         "epsilon": 1e-7}),
    "gd": ("", {}),
}  # fmt: skip
SCHEDULE_OPTIONS = {
    "constant": ("", ("constant", 10, 0.1)),
    "step": ("--schedule step --step-size 2 --gamma 0.5", ("step", 2, 0.5)),
    "exponential": ("--schedule exponential --gamma 0.9", ("exponential", 10, 0.9)),
    "inverse-time": ("--schedule inverse-time --gamma 0.25", ("inverse-time", 10, 0.25)),
}


@pytest.mark.parametrize(
    "optimizer, schedule",
    [
        (optimizer, schedule)
        for optimizer in OPTIONS
        for schedule in SCHEDULE_OPTIONS
        if (optimizer, schedule) != ("gd", "constant")  # the plain records: test_trace.py
    ],
)
def test_json_records_carry_the_rate_and_the_state_of_the_reference(capsys, optimizer, schedule):
    """Each optimizer with each schedule: the weights, the rate in force and the state (by its
    symbols) agree with the rules written out anew, to 1e−12 relative, over six steps."""
    words, settings = OPTIONS[optimizer]
    schedule_words, schedule_how = SCHEDULE_OPTIONS[schedule]
    document = trace_json(
        capsys, *TWO_ROWS, "--optimizer", optimizer, *shlex.split(words),
        *shlex.split(schedule_words), "--steps", "6",
    )  # fmt: skip
    assert document["optimizer"] == optimizer and document["schedule"] == schedule
    for name, value in settings.items():
        assert document[name] == value
    expected = reference(optimizer, 6, settings, schedule_how)
    for record, (weights, rate, buffers) in zip(document["steps"], expected, strict=True):
        assert record["weights"] == pytest.approx(weights, rel=1e-12)
        assert record["rate"] == pytest.approx(rate, rel=1e-12)
        assert list(record["state"]) == list(SYMBOLS[optimizer])
        for symbol, values in zip(SYMBOLS[optimizer], buffers):
            assert record["state"][symbol] == pytest.approx(values, rel=1e-12, abs=1e-300)


def test_the_step_schedule_cuts_the_rate_every_step_size_steps(capsys):
    """--schedule step --step-size 2 --gamma 0.5: 0.01, 0.01, 0.005, 0.005, 0.0025 …"""
    document = trace_json(
        capsys, *EXAMPLE_2, "--schedule", "step", "--step-size", "2", "--gamma", "0.5",
        "--steps", "5",
    )  # fmt: skip
    # Record i holds the rate of the step that made it (the first: the starting rate).
    assert [record["rate"] for record in document["steps"]] == [
        0.01, 0.01, 0.01, 0.005, 0.005, 0.0025,
    ]  # fmt: skip
    assert all(record["state"] == {} for record in document["steps"])  # plain steps keep none


def test_momentum_on_the_first_slide_takes_the_issues_numbers(capsys):
    """The chapter's first example with momentum: b = −24, then b = 0.9 × (−24) + (−19.68)."""
    words = "--weights 2 --inputs 3 --target 10 --learning-rate 0.01 --optimizer momentum"
    steps = trace_json(capsys, *shlex.split(words), "--steps", "2")["steps"]
    assert steps[1]["state"]["b"] == [-24.0] and steps[1]["weights"] == [2.24]
    assert steps[2]["state"]["b"] == pytest.approx([0.9 * -24.0 - 19.68], rel=1e-12)
    assert steps[2]["weights"] == pytest.approx([2.24 + 0.01 * 41.28], rel=1e-12)


def test_csv_gains_the_rate_and_state_columns_only_beyond_plain_steps(capsys):
    """Adam's CSV: rate, m_0, m_1, v_0, v_1 after the gradient, matching the JSON exactly."""
    status, out, _err = trace(capsys, *TWO_ROWS, "--optimizer", "adam", "--format", "csv")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][-5:] == ["rate", "m_0", "m_1", "v_0", "v_1"]
    assert rows[0][-6] == "gradient_1"
    document = trace_json(capsys, *TWO_ROWS, "--optimizer", "adam")
    for row, record in zip(rows[1:], document["steps"], strict=True):
        state = record["state"]
        assert [float(cell) for cell in row[-5:]] == [
            record["rate"], *state["m"], *state["v"],
        ]  # fmt: skip
    status, plain, _err = trace(capsys, *TWO_ROWS, "--format", "csv")
    assert "rate" not in plain.splitlines()[0]
    assert "rate" not in trace_json(capsys, *TWO_ROWS)["steps"][0]


def test_the_table_says_the_optimizer_and_the_schedule(capsys):
    status, out, _err = trace(capsys, *EXAMPLE_2, "--optimizer", "nesterov", "--steps", "2")
    assert status == 0
    assert "b_0" in out.splitlines()[0] and "rate" in out.splitlines()[0]
    assert "optimizer nesterov, schedule constant" in out


@pytest.mark.parametrize(
    "words, says",
    [
        ("--optimizer momentum --momentum 1", "the momentum must be a number from 0 to below 1"),
        ("--optimizer adam --beta1 1", "the β₁ of adam must be a number from 0 to below 1"),
        ("--optimizer adam --beta2 -0.5", "the β₂ of adam must be a number from 0 to below 1"),
        ("--optimizer rmsprop --alpha 1", "the α of rmsprop must be a number from 0 to below 1"),
        ("--optimizer adagrad --epsilon 0", "the ε must be a number above 0, not 0.0"),
        ("--schedule step --gamma 0", "the schedule's γ must be a number above 0, not 0.0"),
        ("--schedule step --step-size 0", "argument --step-size: a whole number from 1"),
        ("--optimizer lbfgs", "argument --optimizer: invalid choice: 'lbfgs'"),
        ("--schedule cosine", "argument --schedule: invalid choice: 'cosine'"),
        ("--optimizer adam --epsilon x", "argument --epsilon: 'x' is not a number"),
    ],
)
def test_bad_optimizer_options_exit_2_with_one_line_naming_them(capsys, words, says):
    status, out, err = trace(capsys, *EXAMPLE_2, *shlex.split(words))
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("gd-desktop trace: error: ")
    assert says in err.lower() or says in err


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_summary_prints_only_the_last_record_as_one_json_object(capsys, optimizer):
    """--format summary: one line, one object, the very last record of --format json."""
    words = [*TWO_ROWS, "--optimizer", optimizer, "--steps", "40"]
    status, out, _err = trace(capsys, *words, "--format", "summary")
    assert status == 0 and out.count("\n") == 1
    assert strict_json(out) == trace_json(capsys, *words)["steps"][-1]
    assert strict_json(out)["iteration"] == 40


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
def test_the_summary_of_a_million_steps_is_found_from_a_repeat(optimizer):
    """Plain steps and momentum reach a state that repeats to the bit: the summary of 10⁶
    steps computes a few thousand and is the last record the plain way would write (checked
    against a run of the same steps, shorter, where it repeats)."""
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01, optimizer=optimizer)
    table = trace_table.trace_table(problem, [1.0, 2.0], 1_000_000)
    assert table.computed < 20_000 and table.count == 1_000_001
    steps = table.computed + 50
    last = trace_table.trace_table(problem, [1.0, 2.0], steps, last_only=True)
    assert "".join(fast_summary(last)) == as_summary(engine.run(problem, [1.0, 2.0], steps))


def test_a_repeat_before_momentums_first_step_counts_for_nothing():
    """Momentum's first step starts b from the slope: a state equal to the start (b = 0) is
    no repeat, since the step from it differs from a later one."""
    same_as_the_start = np.array([[1.0, 0.0], [1.0, 0.0]])
    assert trace_table._repeat_period(same_as_the_start, 1) == 0
    assert trace_table._repeat_period(same_as_the_start, 0) == 1
    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01, optimizer="adam")
    first = trace_table._first_free(problem)
    assert 1.0 - 0.999 ** (first + 1) == 1.0 and 1.0 - 0.999**first != 1.0


def test_summary_output_is_machine_english_with_a_dot(capsys):
    """The summary's keys stay English and its numbers use a dot, whatever the language."""
    from gd_desktop.core.i18n import current_language, set_language

    before = current_language()
    set_language("de")
    try:
        status, out, _err = trace(capsys, *EXAMPLE_2, "--optimizer", "adam", "--format", "summary")
    finally:
        set_language(before)
    assert status == 0
    record = json.loads(out)
    assert set(record) == {"iteration", "weights", "predictions", "errors", "loss", "gradient",
                           "rate", "state"}  # fmt: skip
    assert "0.01" in out and "0,01" not in out


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_a_repeat_of_weights_and_buffers_is_written_byte_for_byte_as_computed(optimizer):
    """Momentum's weights and buffers come back to the bit (a cycle of a few steps): the later
    records are copies, and the CSV and JSON are still the plain output, byte for byte."""
    from gd_desktop.core.trace import as_csv, as_json, fast_csv, fast_json

    problem = engine.Problem.create([[3.0, 4.0]], [6.0], 0.01, optimizer=optimizer)
    table = trace_table.trace_table(problem, [1.0, 2.0], 12_000)  # looked at every 4096
    assert table.computed < table.count == 12_001
    plain = engine.run(problem, [1.0, 2.0], 12_000)
    assert "".join(fast_csv(table)) == as_csv(plain)
    assert "".join(fast_json(table)) == as_json(plain)
