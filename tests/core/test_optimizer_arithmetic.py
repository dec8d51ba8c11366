"""The arithmetic panel's lines for each optimizer and schedule, on the chapter's first example
(input 3, weight 2, target 10, rate 0.01), against numbers worked out by hand. No Qt."""

from __future__ import annotations

import re

import pytest

from gd_desktop.core import engine, i18n, iteration_arithmetic
from gd_desktop.core.arithmetic import RATE_LINE, STATE_LINE, line_text
from gd_desktop.core.history_columns import history_columns, history_csv, history_row
from gd_desktop.core.iteration_arithmetic import (
    REVEAL_FACTOR,
    REVEAL_SLOPE,
    REVEAL_UPDATE,
    DiagramPart,
    explain_iteration,
    factor_parts,
    reveal_count,
    reveal_steps,
)
from gd_desktop.core.run import Run


def example_run(steps: int, **settings) -> Run:
    """The chapter's example 1 with an optimizer or schedule, ``steps`` steps taken."""
    problem = engine.Problem.create([[3.0]], [10.0], 0.01, **settings)
    run = Run(problem, [2.0])
    if steps:
        run.advance(steps)
    return run


def explained(run: Run):
    return explain_iteration(run.shown_problem, run.history, run.shown_index, run.shown)


def weight_lines(run: Run) -> list[str]:
    weight = explained(run).step.weights[0]
    return [line_text(line) for line in (*weight.optimizer_lines, weight.update_line)]


def test_plain_steps_write_no_optimizer_lines():
    """Plain steps at a constant rate: the chapter's lines, nothing between slope and update."""
    weight = explained(example_run(0)).step.weights[0]
    assert weight.optimizer_lines == ()
    assert line_text(weight.update_line) == (
        "new w1 = w1 − learning rate × slope = 2 − 0.01 × (−24) = 2.24"
    )


def test_momentum_first_step_keeps_the_slope_as_b():
    assert weight_lines(example_run(0, optimizer="momentum")) == [
        "b1 = −24 = −24",
        "new w1 = w1 − learning rate × b1 = 2 − 0.01 × (−24) = 2.24",
    ]


def test_momentum_second_step_adds_the_new_slope_to_0_9_of_b():
    """Step 2: g = 2 × (6.72 − 10) × 3 = −19.68; b = 0.9 × (−24) + (−19.68) = −41.28;
    w = 2.24 + 0.01 × 41.28 = 2.6528."""
    run = example_run(1, optimizer="momentum")
    assert weight_lines(run) == [
        "b1 = 0.9 × (−24) + (−19.68) = −41.28",
        "new w1 = w1 − learning rate × b1 = 2.24 − 0.01 × (−41.28) = 2.6528",
    ]
    weight = explained(run).step.weights[0]
    assert weight.new_weight == pytest.approx(2.6528, rel=1e-12)
    assert weight.optimizer_kinds == (STATE_LINE,)


def test_nesterov_steps_along_the_slope_plus_mu_b():
    """b = −24; w = 2 − 0.01 × (−24 + 0.9 × (−24)) = 2.456."""
    run = example_run(0, optimizer="nesterov")
    assert weight_lines(run)[-1] == (
        "new w1 = w1 − learning rate × (slope + μ × b1) = 2 − 0.01 × (−24 + 0.9 × (−24)) = 2.456"
    )
    assert explained(run).step.weights[0].new_weight == pytest.approx(2.456, rel=1e-12)


def test_adagrad_divides_by_the_root_of_the_summed_squares():
    """s = 0 + (−24)² = 576; w = 2 − 0.01 × (−24) / (24 + 1e−10) ≈ 2.01."""
    run = example_run(0, optimizer="adagrad", epsilon=1e-10)
    assert weight_lines(run) == [
        "s1 = 0 + (−24)² = 576",
        "new w1 = w1 − learning rate × slope / (√s1 + ε) = 2 − 0.01 × (−24) / (√576 + 1e−10)"
        " = 2.01",
    ]
    expected = 2 + 0.01 * 24 / (24 + 1e-10)
    assert explained(run).step.weights[0].new_weight == pytest.approx(expected, rel=1e-12)


def test_rmsprop_keeps_a_running_mean_of_squares():
    """s = 0.99 × 0 + 0.01 × 576 = 5.76; w = 2 + 0.01 × 24 / (2.4 + 1e−8) ≈ 2.1."""
    run = example_run(0, optimizer="rmsprop")
    assert weight_lines(run)[0] == "s1 = 0.99 × 0 + (1 − 0.99) × (−24)² = 5.76"
    expected = 2 + 0.01 * 24 / (2.4 + 1e-8)
    assert explained(run).step.weights[0].new_weight == pytest.approx(expected, rel=1e-12)


def test_adam_writes_m_v_their_corrections_and_the_step():
    assert weight_lines(example_run(0, optimizer="adam")) == [
        "m1 = 0.9 × 0 + (1 − 0.9) × (−24) = −2.4",
        "v1 = 0.999 × 0 + (1 − 0.999) × (−24)² = 0.576",
        "m̂1 = (−2.4) / (1 − 0.9^1) = −24",
        "v̂1 = 0.576 / (1 − 0.999^1) = 576",
        "new w1 = w1 − learning rate × m̂1 / (√v̂1 + ε) = 2 − 0.01 × (−24) / (√576 + 1e−08) = 2.01",
    ]


def test_adam_second_step_takes_up_m_and_v_from_the_history():
    """Step 2 (g = 2 × (3 × 2.01 − 10) × 3 = −23.82): m = 0.9 × (−2.4) + 0.1 × (−23.82)."""
    lines = weight_lines(example_run(1, optimizer="adam"))
    assert lines[0] == "m1 = 0.9 × (−2.4) + (1 − 0.9) × (−23.82) = −4.542"
    assert lines[2] == "m̂1 = (−4.542) / (1 − 0.9^2) = −23.9053"


def test_a_schedule_writes_the_rate_in_force_before_the_update():
    """Step decay every 2 steps by 0.5: the fourth step (k = 3) runs at 0.01 × 0.5^1 = 0.005."""
    run = example_run(3, optimizer="momentum", schedule="step", step_size=2, gamma=0.5)
    weight = explained(run).step.weights[0]
    assert weight.optimizer_kinds == (RATE_LINE, STATE_LINE)
    assert line_text(weight.optimizer_lines[0]) == (
        "learning rate at this step = 0.01 × 0.5^⌊3 / 2⌋ = 0.005"
    )
    assert " − 0.005 × " in line_text(weight.update_line)


def test_plain_steps_with_a_schedule_use_the_rate_in_force():
    """Exponential decay 0.5: the second step runs at 0.005; w = 2.24 − 0.005 × (−19.68)."""
    weight = explained(example_run(1, schedule="exponential", gamma=0.5)).step.weights[0]
    rate_line = line_text(weight.optimizer_lines[0])
    assert rate_line == "learning rate at this step = 0.01 × 0.5^1 = 0.005"
    assert line_text(weight.update_line) == (
        "new w1 = w1 − learning rate × slope = 2.24 − 0.005 × (−19.68) = 2.3384"
    )


def test_the_step_just_taken_is_the_optimizers():
    """After momentum's second step the panel writes it as taken: 2.24 − 0.01 × (−41.28)."""
    taken = explained(example_run(2, optimizer="momentum")).just_taken
    assert [line_text(line) for line in taken] == ["w1: 2.24 − 0.01 × (−41.28) = 2.6528"]


def test_reveal_order_puts_the_optimizer_after_the_slope_and_before_the_update():
    run = example_run(0, optimizer="adam", schedule="exponential")
    steps = reveal_steps(run.problem, explained(run).step.weights[0])
    kinds = [step.kind for step in steps]
    assert kinds == [
        REVEAL_FACTOR, REVEAL_FACTOR, REVEAL_FACTOR, REVEAL_SLOPE,
        RATE_LINE, STATE_LINE, STATE_LINE, STATE_LINE, STATE_LINE, REVEAL_UPDATE,
    ]  # fmt: skip
    assert len(steps) == reveal_count(run.problem) == 10
    assert [step.part for step in steps] == list(factor_parts(run.problem, 0))
    assert steps[-1].part == DiagramPart("edge", 0)
    assert reveal_count(example_run(0).problem) == iteration_arithmetic.REVEAL_STEPS


def test_a_hidden_layer_names_the_state_after_the_edge():
    problem = engine.Problem.create(
        [[1.0, 2.0]], [1.0], 0.01, hidden_count=1, activation="tanh", optimizer="momentum"
    )
    run = Run(problem, [0.5, 0.1, -0.2])
    weights = explained(run).step.weights
    assert line_text(weights[0].optimizer_lines[0]).startswith("b(h1→out) = ")
    assert line_text(weights[0].update_line).startswith(
        "new w(h1→out) = w(h1→out) − learning rate × b(h1→out) = "
    )
    assert [w.new_weight for w in weights] == pytest.approx(run.next_weights.tolist(), rel=1e-12)


def test_history_columns_add_the_rate_and_the_state():
    run = example_run(2, optimizer="adam", schedule="exponential", gamma=0.5)
    columns = history_columns(run.problem, translate=False)
    assert columns[-3:] == ["rate", "m1", "v1"]
    row = history_row(run.problem, run.history, 1)
    assert row[-3] == 0.01  # the first step's rate
    assert row[-2] == pytest.approx(-2.4, rel=1e-12)
    assert row[-1] == pytest.approx(0.576, rel=1e-12)
    assert history_row(run.problem, run.history, 2)[-3] == 0.005
    assert history_row(run.problem, run.history, 0)[-3] is None  # no step made the start
    lines = history_csv(run.problem, run.history).splitlines()
    assert lines[0].endswith(",rate,m1,v1,moved by hand")
    assert lines[2].split(",")[-4] == "0.01"


def test_plain_history_has_no_extra_columns():
    columns = history_columns(example_run(1).problem, translate=False)
    assert columns[-1] == "change w1"
    assert "b1" in history_columns(example_run(1, optimizer="momentum").problem)


def test_optimizer_numbers_keep_the_languages_decimal_separator():
    chosen = i18n.chosen_language()
    try:
        i18n.set_language("de")
        lines = weight_lines(example_run(1, optimizer="momentum"))
        assert "0,9 × (−24) + (−19,68) = −41,28" in lines[0]
    finally:
        i18n.set_language(chosen)


def untranslated_words(text: str) -> list[str]:
    """English words left outside the pseudo language's ⟦…⟧ marks (names like w1 are short;
    an activation's name is math: relu(2); so is an edge's, w(h1→out))."""
    text = re.sub(r"\(\w+→\w+\)", "", text)
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", "", text)
    return [word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in engine.ACTIVATIONS]


def every_line(explained_iteration) -> list[str]:
    step = explained_iteration.step
    lines = [*step.prediction_lines, *step.error_lines, step.loss_line]
    lines += explained_iteration.just_taken
    for weight in step.weights:
        lines += [
            weight.loss_slope_line, weight.feeding_value_line, weight.activation_line,
            weight.slope_line, *weight.optimizer_lines, weight.update_line, weight.check_line,
            *weight.row_lines,
        ]  # fmt: skip
    return [explained_iteration.heading, *(line_text(line) for line in lines)]


@pytest.mark.parametrize(
    "settings",
    [
        {"optimizer": "adam", "schedule": "step"},
        {"optimizer": "momentum", "batch_size": 2},
        {"optimizer": "rmsprop", "hidden_count": 2, "activation": "relu"},
        {"hidden_count": 1, "activation": "tanh", "schedule": "inverse-time"},
        {},
    ],
)
def test_every_word_of_the_arithmetic_is_translatable(settings):
    """In the pseudo language no English word is left: one row, five rows (three written out
    and "… more rows"), a mini-batch, a hidden layer, looking back, a weight moved by hand."""
    chosen = i18n.chosen_language()
    try:
        i18n.set_language(i18n.PSEUDO)
        for rows in (1, 5):
            inputs = [[3.0, 1.0 + r] for r in range(rows)]
            if settings.get("batch_size") and rows == 1:
                continue
            problem = engine.Problem.create(inputs, [10.0] * rows, 0.01, **settings)
            run = Run(problem, [0.5] * problem.weight_count)
            run.advance(2)
            run.set_weight(0, 0.25)
            run.advance(1)
            for index in range(run.iteration + 1):
                run.show_iteration(index)
                said = explain_iteration(run.shown_problem, run.history, index, run.shown)
                for text in every_line(said):
                    assert untranslated_words(text) == [], text
    finally:
        i18n.set_language(chosen)
