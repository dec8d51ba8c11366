"""The optimizers and schedules against references written from the formulas (issue 15), in plain
Python floats: every step the engine takes, on every path it takes them, equals the reference to
1e−12 relative; and a run's look-back, Undo and resuming keep the optimizer's state exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import engine, optimizers
from gd_desktop.core.engine import OptimizerState, Problem, ProblemError
from gd_desktop.core.run import Run

EXACT = 1e-12  # relative: what "the same" means between the engine and the references


# --- the references, from the formulas (plain floats, one weight at a time) --------------------


def reference_rate(schedule, rate, k, step_size, gamma):
    if schedule == "constant":
        return rate
    if schedule == "step":
        return rate * gamma ** math.floor(k / step_size)
    if schedule == "exponential":
        return rate * gamma**k
    return rate / (1 + gamma * k)


def reference_slopes(problem: Problem, weights: list[float]) -> list[float]:
    """The chapter's slope: mean over rows of 2 × error × input (no hidden layer); through a
    hidden layer the engine's backpropagation (tested against finite differences elsewhere)."""
    if problem.hidden_count:
        return engine.evaluate(problem, weights).gradient.tolist()
    rows, targets = problem.inputs.tolist(), problem.targets.tolist()
    errors = [sum(x * w for x, w in zip(row, weights)) - y for row, y in zip(rows, targets)]
    return [
        sum(2 * e * row[i] for e, row in zip(errors, rows)) / len(rows) for i in range(len(weights))
    ]


def reference_run(problem: Problem, weights, steps: int):
    """Each step's weights, rate and state, from the issue's formulas."""
    name, mu, alpha = problem.optimizer, problem.momentum, problem.alpha
    beta1, beta2, eps = problem.beta1, problem.beta2, problem.epsilon
    w = [float(x) for x in weights]
    n = len(w)
    b, s, m, v = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    records = []
    for t in range(1, steps + 1):
        rate = reference_rate(problem.schedule, problem.learning_rate, t - 1,
                              problem.step_size, problem.gamma)  # fmt: skip
        g = reference_slopes(problem, w)
        for i in range(n):
            if name == "gd":
                w[i] = w[i] - rate * g[i]
            elif name in ("momentum", "nesterov"):
                b[i] = g[i] if t == 1 else mu * b[i] + g[i]
                w[i] = w[i] - rate * (b[i] if name == "momentum" else g[i] + mu * b[i])
            elif name == "adagrad":
                s[i] = s[i] + g[i] ** 2
                w[i] = w[i] - rate * g[i] / (math.sqrt(s[i]) + eps)
            elif name == "rmsprop":
                s[i] = alpha * s[i] + (1 - alpha) * g[i] ** 2
                w[i] = w[i] - rate * g[i] / (math.sqrt(s[i]) + eps)
            else:
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
                m_hat = m[i] / (1 - beta1**t)
                v_hat = v[i] / (1 - beta2**t)
                w[i] = w[i] - rate * m_hat / (math.sqrt(v_hat) + eps)
        state = {"gd": [], "momentum": [b], "nesterov": [b], "adagrad": [s], "rmsprop": [s],
                 "adam": [m, v]}[name]  # fmt: skip
        records.append((list(w), rate, [list(x) for x in state]))
    return records


# --- the problems: the course's examples, two inputs over rows, a hidden layer, more data -----

RNG = np.random.default_rng(15)
BIG_X = RNG.normal(size=(300, 3))  # 900 numbers: the numpy path
PROBLEMS = {
    "example 1": (dict(inputs=[3.0], targets=[10.0], learning_rate=0.01), [2.0]),
    "example 2": (dict(inputs=[3.0, 4.0], targets=[6.0], learning_rate=0.01), [1.0, 2.0]),
    "two inputs, four rows": (
        dict(
            inputs=[[1.0, 2.0], [2.0, -1.0], [0.5, 3.0], [-1.0, 1.0]],
            targets=[3.0, 1.0, 4.0, 0.5],
            learning_rate=0.02,
        ),
        [0.3, -0.2],
    ),  # fmt: skip
    "hidden layer (tanh)": (
        dict(
            inputs=[[-2.0], [-1.0], [0.0], [1.0], [2.0]],
            targets=[2.0, 1.0, 0.0, 1.0, 2.0],
            learning_rate=0.05,
            hidden_count=2,
            activation="tanh",
        ),
        [0.5, -0.4, 0.7, -0.6],
    ),  # fmt: skip
    "300 rows (numpy)": (
        dict(inputs=BIG_X, targets=BIG_X @ [1.0, -2.0, 0.5], learning_rate=0.05),
        [0.0, 0.0, 0.0],
    ),
}
# A rate each optimizer behaves with on these problems (Adam's steps are about the rate long).
RATES = {"gd": 1.0, "momentum": 0.5, "nesterov": 0.5, "adagrad": 10.0, "rmsprop": 2.0,
         "adam": 5.0}  # fmt: skip
SCHEDULES = {
    "constant": {},
    "step": dict(step_size=3, gamma=0.5),
    "exponential": dict(gamma=0.9),
    "inverse-time": dict(gamma=0.3),
}


def assert_close(actual, expected, rel=EXACT):
    """Equal to ``rel`` relative, each number against the largest of its vector (a slope near
    0 is a difference of large terms: its own last digits are rounding of theirs)."""
    expected = np.asarray(expected, dtype=float)
    scale = float(np.max(np.abs(expected), initial=0.0))
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=rel * scale)


def stepped(problem: Problem, weights, steps: int) -> Run:
    run = Run(problem, weights)
    run.advance(steps, halt_when_diverging=False, halt_when_converged=False)
    assert run.iteration == steps
    return run


def assert_run_matches_reference(run: Run, problem: Problem, weights, steps: int):
    history = run.history
    for index, (w, rate, state) in enumerate(reference_run(problem, weights, steps), start=1):
        assert_close(history.weights[index], w)
        assert_close(history.learning_rates[index], rate)
        assert history.optimizer_steps[index] == index
        assert_close(history.optimizer_buffers[index], np.array(state).reshape(-1, len(w)))


@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_each_optimizer_equals_its_reference_on_each_problem(optimizer, name):
    """Twelve steps of each optimizer on each problem: weights, rates and state as the formulas
    give them, to 1e−12 relative."""
    values, weights = PROBLEMS[name]
    base = Problem.create(**values)
    problem = base.replaced(
        optimizer=optimizer, learning_rate=base.learning_rate * RATES[optimizer] / 10
    )
    run = stepped(problem, weights, 12)
    assert_run_matches_reference(run, problem, weights, 12)


@pytest.mark.parametrize("schedule", list(SCHEDULES))
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("name", ["example 2", "two inputs, four rows", "300 rows (numpy)"])
def test_each_schedule_equals_its_reference(schedule, optimizer, name):
    """The rate in force at step k (k steps taken) is the schedule's, kept in the history."""
    values, weights = PROBLEMS[name]
    problem = Problem.create(**values).replaced(
        optimizer=optimizer, schedule=schedule, **SCHEDULES[schedule]
    )
    run = stepped(problem, weights, 10)
    assert_run_matches_reference(run, problem, weights, 10)


def test_schedules_at_known_steps():
    """StepLR and ExponentialLR's numbers, and the inverse time decay, at a few k."""
    rate = optimizers.scheduled_rate
    assert [rate("step", 0.1, k, 3, 0.5) for k in (0, 2, 3, 5, 6)] == [
        0.1, 0.1, 0.05, 0.05, 0.025
    ]  # fmt: skip
    assert rate("exponential", 0.1, 2, 10, 0.5) == 0.1 * 0.25
    assert rate("inverse-time", 0.1, 4, 10, 0.25) == 0.05
    assert rate("constant", 0.1, 10**6, 10, 0.25) == 0.1
    assert rate("exponential", 0.1, 10**6, 10, 2.0) == math.inf  # no OverflowError


def test_mini_batches_step_with_the_optimizer():
    """With mini-batches the update uses the batch's slope; the state carries over exactly."""
    values, weights = PROBLEMS["two inputs, four rows"]
    problem = Problem.create(**values, batch_size=2, seed=3, optimizer="adam")
    run = stepped(problem, weights, 8)
    w, m, v = list(weights), [0.0, 0.0], [0.0, 0.0]
    for t in range(1, 9):
        batch = problem.subset(problem.batch_rows(t - 1))
        g = reference_slopes(batch, w)
        for i in range(2):
            m[i] = 0.9 * m[i] + 0.1 * g[i]
            v[i] = 0.999 * v[i] + 0.001 * g[i] ** 2
            step = (m[i] / (1 - 0.9**t)) / (math.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
            w[i] -= problem.learning_rate * step
        assert_close(run.history.weights[t], w)


# --- properties --------------------------------------------------------------------------------

numbers = st.floats(-100, 100, allow_nan=False)
fractions = st.floats(0, 0.999)


@settings(max_examples=60, deadline=None)
@given(
    optimizer=st.sampled_from(["gd", "nesterov", "adagrad", "rmsprop", "adam"]),
    weights=st.lists(numbers, min_size=1, max_size=10),
    rate=st.floats(0, 10),
    mu=fractions, alpha=fractions, beta1=fractions, beta2=fractions,
    epsilon=st.floats(1e-12, 1),
)  # fmt: skip
def test_a_zero_slope_leaves_the_weights_where_they_are(
    optimizer, weights, rate, mu, alpha, beta1, beta2, epsilon
):
    """At a zero slope (from a fresh state) these optimizers do not move a weight."""
    update = optimizers.OPTIMIZERS[optimizer].update
    slots = len(optimizers.OPTIMIZERS[optimizer].state)
    buffers = [[0.0] * len(weights) for _ in range(slots)]
    zero = [0.0] * len(weights)
    new = update(list(weights), zero, buffers, 1, rate,
                 optimizers.Settings(mu, alpha, beta1, beta2, epsilon))  # fmt: skip
    assert new == weights


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 16),
    inputs=st.integers(1, 10),
    seed=st.integers(0, 2**16),
    steps=st.integers(1, 30),
)
def test_momentum_with_mu_0_is_plain_steps(rows, inputs, seed, steps):
    """μ = 0: b is the slope at every step, so every weight equals the plain step's, bit for bit."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, inputs))
    problem = Problem.create(x, rng.normal(size=rows), 0.01)
    weights = rng.normal(size=inputs)
    plain = stepped(problem, weights, steps)
    momentum = stepped(problem.replaced(optimizer="momentum", momentum=0.0), weights, steps)
    np.testing.assert_array_equal(momentum.history.weights, plain.history.weights)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), steps=st.integers(1, 30),
       optimizer=st.sampled_from(list(optimizers.OPTIMIZERS)))  # fmt: skip
def test_a_schedule_that_never_cuts_is_the_constant_rate(seed, steps, optimizer):
    """A step schedule whose first cut comes after the run, or γ = 1, equals the constant rate
    exactly (and the constant schedule is the default: no schedule)."""
    rng = np.random.default_rng(seed)
    problem = Problem.create(rng.normal(size=(3, 2)), rng.normal(size=3), 0.01,
                             optimizer=optimizer)  # fmt: skip
    assert problem.schedule == "constant"
    weights = rng.normal(size=2)
    constant = stepped(problem, weights, steps).history.weights
    late = problem.replaced(schedule="step", step_size=steps + 1, gamma=0.5)
    flat = problem.replaced(schedule="exponential", gamma=1.0)
    np.testing.assert_array_equal(stepped(late, weights, steps).history.weights, constant)
    np.testing.assert_array_equal(stepped(flat, weights, steps).history.weights, constant)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 16),
    inputs=st.integers(1, 10),
    seed=st.integers(0, 2**16),
    optimizer=st.sampled_from(list(optimizers.OPTIMIZERS)),
)
def test_the_python_float_path_is_the_numpy_path_up_to_rounding(rows, inputs, seed, optimizer):
    """Small problems step on Python floats; the numpy path gives the same numbers to 1e−12."""
    rng = np.random.default_rng(seed)
    values = dict(inputs=rng.normal(size=(rows, inputs)), targets=rng.normal(size=rows),
                  learning_rate=0.01, optimizer=optimizer)  # fmt: skip
    weights = rng.normal(size=inputs)
    small = Problem.create(**values)
    assert small.small_data is not None
    fast = engine.descend(small, engine.evaluate(small, weights), 20)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "SMALL_PROBLEM", 0)
        large = Problem.create(**values)
        assert large.small_data is None
        slow = engine.descend(large, engine.evaluate(large, weights), 20)
    assert_close(fast.weights, slow.weights)
    assert_close(fast.losses, slow.losses)
    assert_close(fast.buffers, slow.buffers)


def test_the_course_figures_are_exact_on_both_paths(monkeypatch):
    """Example 1: 2 → 2.24 → 2.4368; example 2: [1, 2] → [0.7, 1.6], error 2.5."""
    for small in (True, False):
        if not small:
            monkeypatch.setattr(engine, "SMALL_PROBLEM", 0)
        one = Problem.create([3.0], [10.0], 0.01)
        descent = engine.descend(one, engine.evaluate(one, [2.0]), 2)
        assert descent.weights[:, 0].tolist() == [2.24, 2.24 - 0.01 * (2 * (6.72 - 10) * 3)]
        assert float(descent.weights[1, 0]) == pytest.approx(2.4368, rel=1e-15)
        two = Problem.create([3.0, 4.0], [6.0], 0.01)
        first = engine.descend(two, engine.evaluate(two, [1.0, 2.0]), 1)
        assert first.weights[0].tolist() == [0.7, 1.6]
        assert float(first.errors[0, 0]) == pytest.approx(2.5, rel=1e-15)


# --- the lines of arithmetic --------------------------------------------------------------------


def test_momentum_lines_are_the_issues_example():
    """b = 0.9 × (−12) + (−24) = −34.8, then new w1 = 2 − 0.01 × (−34.8) = 2.348."""
    lines = optimizers.step_lines(
        "momentum", ["w1"], [2.0], [-24.0], [[-12.0]], 1, 0.01,
        optimizers.Settings(0.9, 0.99, 0.9, 0.999, 1e-8),
    )  # fmt: skip
    assert [line.text for line in lines] == [
        "b1 = 0.9 × (−12) + (−24) = −34.8",
        "new w1 = 2 − 0.01 × (−34.8) = 2.348",
    ]
    assert lines[1].value == 2.0 - 0.01 * (0.9 * -12.0 + -24.0)


def test_adam_lines_show_m_v_the_corrections_and_the_step():
    """Example 1's first Adam step, every number written out."""
    problem = Problem.create([3.0], [10.0], 0.01, optimizer="adam")
    lines = engine.step_arithmetic(problem, engine.evaluate(problem, [2.0]))
    assert [line.text for line in lines] == [
        "m1 = 0.9 × 0 + (1 − 0.9) × (−24) = −2.4",
        "v1 = 0.999 × 0 + (1 − 0.999) × (−24)² = 0.576",
        "m̂1 = (−2.4) / (1 − 0.9^1) = −24",
        "v̂1 = 0.576 / (1 − 0.999^1) = 576",
        "new w1 = 2 − 0.01 × (−24) / (√576 + 1e−08) = 2.01",
    ]
    assert lines[-1].value == engine.next_weights(problem, engine.evaluate(problem, [2.0]))[0]


@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
def test_each_optimizers_lines_hold_the_step_it_takes(optimizer):
    """The lines' new weights and state are the numbers the run records, for a hidden layer
    too, and a schedule's line gives the rate in force."""
    values, weights = PROBLEMS["hidden layer (tanh)"]
    problem = Problem.create(**values).replaced(
        optimizer=optimizer, schedule="exponential", gamma=0.9
    )
    run = stepped(problem, weights, 3)
    lines = engine.step_arithmetic(problem, run.history.evaluation(2, problem),
                                   run.history.state(2))  # fmt: skip
    assert lines[0].label == "rate" and lines[0].value == run.history.learning_rates[3]
    assert lines[0].text == "rate = 0.05 × 0.9^2 = 0.0405"
    new = [line.value for line in lines if line.label.startswith("new ")]
    assert new == run.history.weights[3].tolist()
    assert lines[-1].label == "new w(x1→h2)"
    symbols = optimizers.OPTIMIZERS[optimizer].state
    for row, symbol in enumerate(symbols):
        kept = [line.value for line in lines if line.label.startswith(symbol + "(")]
        assert kept == run.history.optimizer_buffers[3][row].tolist()


# --- the run: look back, Undo, resume, hand moves, a saved run ---------------------------------


@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
def test_going_on_from_an_earlier_iteration_takes_up_the_state_exactly(optimizer):
    """Steps 1..20 in one go equal 10 steps, 10 more, a look back to 10, and 10 more again; the
    next step shown from 10 is the step taken; Undo brings back the 20."""
    values, weights = PROBLEMS["two inputs, four rows"]
    problem = Problem.create(**values, optimizer=optimizer, schedule="step", step_size=4,
                             gamma=0.5)  # fmt: skip
    whole = stepped(problem, weights, 20)
    run = stepped(problem, weights, 10)
    run.advance(10, halt_when_diverging=False, halt_when_converged=False)
    run.show_iteration(10)
    np.testing.assert_array_equal(run.next_weights, whole.history.weights[11])
    assert run.shown_state.step == 10
    run.continue_from_shown()
    assert run.iteration == 10
    run.advance(10, halt_when_diverging=False, halt_when_converged=False)
    for name in ("weights", "learning_rates", "optimizer_steps", "optimizer_buffers", "losses"):
        np.testing.assert_array_equal(getattr(run.history, name), getattr(whole.history, name))
    assert run.undo()
    np.testing.assert_array_equal(run.history.optimizer_buffers, whole.history.optimizer_buffers)
    np.testing.assert_array_equal(run.next_weights, engine.next_weights(
        problem, whole.current, whole.history.state(20)))  # fmt: skip


def test_a_weight_moved_by_hand_keeps_the_optimizers_state():
    """Moving a weight is no step: t and the buffers stay; the next step uses them."""
    problem = Problem.create([3.0, 4.0], [6.0], 0.01, optimizer="momentum")
    run = stepped(problem, [1.0, 2.0], 3)
    before = run.history.state(3)
    run.set_weight(0, 0.5)
    assert run.history.moved_by_hand[4]
    after = run.history.state(4)
    assert after.step == before.step == 3
    np.testing.assert_array_equal(after.buffers, before.buffers)
    expected, _state, _rate = engine.take_step(problem, run.current, before)
    run.advance(1)
    np.testing.assert_array_equal(run.history.weights[5], expected)


def test_a_saved_run_loads_with_its_state_and_no_hand_moves():
    """Run.load replays a saved run's weights: each iteration is the optimizer's step."""
    problem = Problem.create([3.0, 4.0], [6.0], 0.001, optimizer="adam")
    whole = stepped(problem, [1.0, 2.0], 15)
    loaded = Run(problem, [1.0, 2.0])
    loaded.load(problem, [1.0, 2.0], whole.history.weights)
    assert not loaded.history.moved_by_hand.any()
    np.testing.assert_array_equal(loaded.history.optimizer_buffers,
                                  whole.history.optimizer_buffers)  # fmt: skip
    np.testing.assert_array_equal(loaded.history.optimizer_steps, np.arange(16))


def test_a_new_rate_goes_on_with_the_state_and_looking_back_shows_the_old_step():
    """A rate changed midway keeps the state; the step shown from before uses the old rate."""
    problem = Problem.create([3.0, 4.0], [6.0], 0.01, optimizer="nesterov",
                             schedule="inverse-time", gamma=0.5)  # fmt: skip
    run = stepped(problem, [1.0, 2.0], 4)
    run.set_learning_rate(0.002)
    run.advance(2)
    assert run.history.optimizer_steps.tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert run.history.learning_rates[5] == 0.002 / (1 + 0.5 * 4)
    run.show_iteration(2)
    np.testing.assert_array_equal(run.next_weights, run.history.weights[3])


# --- bad settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field_name, value, message",
    [
        ("optimizer", "sgd", "Unknown optimizer 'sgd': choose one of gd, momentum, nesterov"),
        ("momentum", 1.0, "The momentum must be a number from 0 to below 1, not 1.0."),
        ("momentum", -0.1, "The momentum must be a number from 0 to below 1, not -0.1."),
        ("alpha", 1.5, "The α of RMSProp must be a number from 0 to below 1, not 1.5."),
        ("beta1", 1.0, "The β₁ of Adam must be a number from 0 to below 1, not 1.0."),
        ("beta2", 2.0, "The β₂ of Adam must be a number from 0 to below 1, not 2.0."),
        ("epsilon", 0.0, "The ε must be a number above 0, not 0.0."),
        ("epsilon", -1e-8, "The ε must be a number above 0, not -1e-08."),
        ("epsilon", math.nan, "The ε must be a number above 0, not nan."),
        ("schedule", "cosine", "Unknown schedule 'cosine': choose one of constant, step"),
        ("step_size", 0, "The step size must be a whole number from 1 to 1,000,000, not 0."),
        ("gamma", 0.0, "The schedule's γ must be a number above 0, not 0.0."),
        ("gamma", -2.0, "The schedule's γ must be a number above 0, not -2.0."),
        ("learning_rate", -0.5, "The learning rate must be a number of 0 or more."),
    ],
)
def test_bad_settings_are_refused_in_a_plain_sentence(field_name, value, message):
    """Each bad setting is a ProblemError naming its field, the problem left as it was."""
    good = Problem.create([3.0, 4.0], [6.0], 0.01)
    with pytest.raises(ProblemError) as raised:
        good.replaced(**{field_name: value})
    assert str(raised.value).startswith(message)
    assert raised.value.field == field_name
    assert good.optimizer == "gd" and good.schedule == "constant"


def test_the_defaults_are_pytorchs_and_leave_the_chapter_alone():
    """Plain steps at a constant rate by default; μ 0.9, α 0.99, β 0.9 and 0.999, ε 1e−8."""
    problem = Problem.create([3.0], [10.0], 0.01)
    assert (problem.optimizer, problem.schedule) == ("gd", "constant")
    assert problem.optimizer_settings == optimizers.Settings(0.9, 0.99, 0.9, 0.999, 1e-8)
    assert optimizers.OPTIMIZERS["adagrad"].default_epsilon == 1e-10
    assert engine.next_weights(problem, engine.evaluate(problem, [2.0])).tolist() == [2.24]
    assert OptimizerState.fresh(problem).buffers.shape == (0, 1)


@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
@pytest.mark.parametrize("rate", [1.0, 1e-3])
def test_both_paths_stop_at_the_same_step_for_the_same_reason(optimizer, rate):
    """Overflow (the first step that is not finite left out) and convergence (the step that
    changed no weight kept) come at the same step on the written-out loop and on numpy."""
    values = dict(inputs=[[3.0, 4.0]], targets=[6.0], learning_rate=rate, optimizer=optimizer)
    small = Problem.create(**values)
    fast = engine.descend(small, engine.evaluate(small, [1.0, 2.0]), 5000)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "SMALL_PROBLEM", 0)
        large = Problem.create(**values)
        slow = engine.descend(large, engine.evaluate(large, [1.0, 2.0]), 5000)
    assert (len(fast), fast.stopped) == (len(slow), slow.stopped)
    assert fast.stopped is not None or len(fast) == 5000
    assert np.isfinite(fast.weights).all() and np.isfinite(fast.losses).all()
    np.testing.assert_array_equal(fast.weights, slow.weights)


@settings(max_examples=30, deadline=None)
@given(
    rows=st.integers(1, 16),
    inputs=st.integers(1, 10),
    seed=st.integers(0, 2**16),
    optimizer=st.sampled_from(list(optimizers.OPTIMIZERS)),
    schedule=st.sampled_from(list(SCHEDULES)),
)
def test_the_written_out_loop_is_take_step_bit_for_bit(rows, inputs, seed, optimizer, schedule):
    """descend on a small problem equals evaluate and take_step one step at a time, exactly."""
    rng = np.random.default_rng(seed)
    choice = dict(optimizer=optimizer, schedule=schedule, **SCHEDULES[schedule])
    problem = Problem.create(rng.normal(size=(rows, inputs)), rng.normal(size=rows), 0.01, **choice)
    current = engine.evaluate(problem, rng.normal(size=inputs))
    descent = engine.descend(problem, current, 12)
    state = None
    for index in range(len(descent)):
        weights, state, rate = engine.take_step(problem, current, state)
        current = engine.evaluate(problem, weights)
        np.testing.assert_array_equal(descent.weights[index], weights)
        np.testing.assert_array_equal(descent.gradients[index], current.gradient)
        assert descent.losses[index] == current.loss and descent.rates[index] == rate
        np.testing.assert_array_equal(descent.buffers[index], state.buffers)
        assert descent.optimizer_steps[index] == state.step == index + 1


@pytest.mark.parametrize("steps", [1, 2, 128])
@pytest.mark.parametrize("start", [[2.0, 0.0], [1.0, 1.25]], ids=["at the minimum", "nearby"])
def test_plain_steps_stop_where_a_step_first_changes_nothing(steps, start):
    """Plain steps at a constant rate tell a chunk by its last step (a step that changes
    nothing repeats): a chunk of one, two or many stops at the first such step, as single
    steps do."""
    problem = Problem.create([[3.0, 4.0]], [6.0], 0.02)
    descent = engine.descend(problem, engine.evaluate(problem, start), steps)
    evaluation, taken, converged = engine.evaluate(problem, start), 0, False
    while taken < steps and not converged:
        new = engine.next_weights(problem, evaluation)
        taken += 1
        converged = bool((new == evaluation.weights).all())
        evaluation = engine.evaluate(problem, new)
    assert len(descent) == taken
    assert descent.stopped == (engine.STOP_CONVERGED if converged else None)
    np.testing.assert_array_equal(descent.weights[-1], new)
