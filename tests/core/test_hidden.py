"""A hidden layer with activations, data sets from CSV, and the trace flags for both. No Qt."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gd_desktop.app import main
from gd_desktop.core import engine
from gd_desktop.core.data import DataError, read_rows
from gd_desktop.core.engine import ACTIVATIONS, Problem, ProblemError
from tests.conftest import trace_json


def network(activation: str, seed: int = 0, rows: int = 5, inputs: int = 3, hidden: int = 2):
    rng = np.random.default_rng(seed)
    problem = Problem.create(
        rng.normal(size=(rows, inputs)), rng.normal(size=rows), 0.1, hidden, activation
    )
    return problem, rng.normal(size=problem.weight_count)


def numeric_gradient(problem, weights, h=1e-6):
    return np.array(
        [engine.finite_difference_slope(problem, weights, k, h) for k in range(len(weights))]
    )


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_backprop_matches_finite_differences(activation):
    """Every weight's slope (output and hidden) agrees with a central difference."""
    problem, weights = network(activation)
    exact = engine.evaluate(problem, weights).gradient
    np.testing.assert_allclose(exact, numeric_gradient(problem, weights), rtol=1e-5, atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(ACTIVATIONS)), st.integers(0, 10_000), st.integers(1, 4))
def test_backprop_matches_finite_differences_for_any_network(activation, seed, hidden):
    """Random shapes and weights: backpropagation and finite differences agree."""
    problem, weights = network(activation, seed, hidden=hidden)
    exact = engine.evaluate(problem, weights).gradient
    numeric = numeric_gradient(problem, weights)
    if activation == "relu":  # a kink within h of a sum makes the difference one-sided
        sums = engine.evaluate(problem, weights).hidden_sums
        assume(np.min(np.abs(sums)) >= 1e-4)
    np.testing.assert_allclose(exact, numeric, rtol=1e-4, atol=1e-7)


def test_relu_node_switched_off_does_not_learn():
    """A ReLU node whose sums are all negative passes no slope to its weights: exactly 0."""
    problem = Problem.create([[1.0, 2.0], [2.0, 1.0]], [1.0, 2.0], 0.1, 2, "relu")
    weights = np.array([1.0, 1.0, 0.5, 0.5, -1.0, -1.0])  # node 2's sums: −3, −3
    evaluation = engine.evaluate(problem, weights)
    assert np.all(evaluation.hidden_values[:, 1] == 0)
    assert np.all(problem.hidden_weights(evaluation.gradient)[1] == 0)
    assert evaluation.gradient[1] == 0  # its output weight sees a value of 0 too
    numeric = numeric_gradient(problem, weights)
    np.testing.assert_allclose(problem.hidden_weights(numeric)[1], 0, atol=1e-9)


def test_identity_hidden_layer_predicts_as_a_product_of_weights():
    """With identity activation the network is linear: prediction = Σ_j w_j Σ_i v_ji x_i."""
    problem = Problem.create([3.0, 4.0], [6.0], 0.01, 1, "identity")
    evaluation = engine.evaluate(problem, [2.0, 1.0, 2.0])
    assert evaluation.predictions[0] == 2.0 * (3.0 + 8.0)
    assert evaluation.hidden_sums[0, 0] == 11.0


def test_without_a_hidden_layer_nothing_changes():
    """hidden_count 0 gives the slide figures exactly as before."""
    problem = Problem.create([3.0, 4.0], [6.0], 0.01)
    evaluation = engine.evaluate(problem, [1.0, 2.0])
    assert evaluation.gradient.tolist() == [30.0, 40.0]
    assert evaluation.hidden_sums is None
    assert engine.critical_learning_rate(problem) == pytest.approx(0.04)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("index", [0, 1, 2, 5])
def test_loss_along_any_weight_is_the_loss_point_by_point(activation, index):
    """The vectorised loss curve equals the loss evaluated at each grid value."""
    problem, weights = network(activation, seed=3)
    grid = np.linspace(-3, 3, 13)
    curve = engine.loss_along_weight(problem, weights, index, grid)
    for value, loss in zip(grid, curve, strict=True):
        moved = weights.copy()
        moved[index] = value
        assert loss == pytest.approx(engine.loss_of(problem, moved), rel=1e-12, abs=1e-12)


def test_descend_through_a_hidden_layer_matches_single_steps():
    """The fast loop and evaluate/next_weights give the same numbers."""
    problem, weights = network("tanh", seed=5)
    start = engine.evaluate(problem, weights)
    descent = engine.descend(problem, start, 20)
    current = start
    for k in range(20):
        current = engine.evaluate(problem, engine.next_weights(problem, current))
        np.testing.assert_array_equal(descent.weights[k], current.weights)
    assert descent.losses[-1] < start.loss


def test_critical_rate_is_undefined_with_a_hidden_layer():
    """A hidden layer's loss is no parabola: no single critical rate."""
    problem, _ = network("sigmoid")
    assert engine.critical_learning_rate(problem) is None


def test_weight_names_say_which_edge():
    """Names read as edges: w(h1→out), w(x2→h1)."""
    problem, _ = network("relu", inputs=2, hidden=2)
    names = [problem.weight_name(k) for k in range(problem.weight_count)]
    assert names == ["w(h1→out)", "w(h2→out)", "w(x1→h1)", "w(x2→h1)", "w(x1→h2)", "w(x2→h2)"]


@pytest.mark.parametrize(
    ("hidden", "activation", "words"),
    [(9, "relu", "1 to 8"), (1, "softmax", "Unknown activation")],
)
def test_bad_network_shapes_are_refused_in_words(hidden, activation, words):
    """Too many hidden nodes or an unknown activation: a ProblemError that says so."""
    with pytest.raises(ProblemError, match=words):
        Problem.create([1.0], [1.0], 0.1, hidden, activation)


# ----------------------------------------------------------------- data sets
def test_read_rows_with_and_without_header():
    """A header line is optional; the last column is the target."""
    for text in ("x1,x2,y\n1,2,3\n4,5,9\n", "1,2,3\n\n4,5,9\n"):
        inputs, targets = read_rows(text)
        assert inputs.tolist() == [[1.0, 2.0], [4.0, 5.0]]
        assert targets.tolist() == [3.0, 9.0]


def test_read_rows_understands_tabs_and_semicolons():
    """Pasted spreadsheet rows (tabs) and European CSV (semicolons) read the same."""
    assert read_rows("1\t2\t3\n")[1].tolist() == [3.0]
    assert read_rows("1;2;3\n4;5;6\n")[0].tolist() == [[1.0, 2.0], [4.0, 5.0]]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1,2,3\n4,x,9\n", "Line 2, column 2: 'x' is not a number"),
        ("1,2,3\n4,5\n", "Line 2 has 2 columns"),
        ("1,2,nan\n", "Line 1, column 3"),
        ("a,b\n", "No rows of numbers"),
        ("1\n2\n", "at least one input and a target"),
        (",".join(["1"] * 12) + "\n", "At most 10 inputs"),
    ],
)
def test_bad_cells_are_named_by_line_and_column(text, words):
    """A bad cell or shape gets a message that names where it is."""
    with pytest.raises(DataError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_rows(text)


# ----------------------------------------------------------------- the trace command
def test_trace_with_a_hidden_layer_reports_hidden_nodes(capsys):
    """Records gain 'hidden' (sum and value per row) and 'hidden_gradient' per node."""
    document = trace_json(
        capsys,
        "--weights", "1", "-1",
        "--hidden=0.5,-0.2", "--hidden=-0.3,0.8",
        "--inputs", "1", "2", "--target", "1",
        "--activation", "relu", "--learning-rate", "0.1", "--steps", "2",
    )  # fmt: skip
    first = document["steps"][0]
    assert first["hidden"][0]["sum"] == [pytest.approx(0.1)]
    assert first["hidden"][1]["value"] == [pytest.approx(1.3)]
    assert len(first["gradient"]) == 2 and len(first["hidden_gradient"]) == 2
    problem = Problem.create([1.0, 2.0], [1.0], 0.1, 2, "relu")
    expected = engine.evaluate(problem, [1, -1, 0.5, -0.2, -0.3, 0.8])
    assert first["hidden_gradient"] == problem.hidden_weights(expected.gradient).tolist()
    assert document["critical_learning_rate"] is None
    assert len(document["steps"]) == 3


def test_trace_reads_data_from_a_file(capsys, tmp_path):
    """--data FILE.csv gives the same run as the rows typed with --inputs/--target."""
    data = tmp_path / "rows.csv"
    data.write_text("x1,x2,target\n3,4,6\n1,2,1\n")
    from_file = trace_json(
        capsys, "--weights", "1", "2", "--data", str(data), "--learning-rate", "0.01"
    )
    typed = trace_json(
        capsys,
        "--weights", "1", "2", "--inputs", "3", "4", "--inputs", "1", "2",
        "--target", "6", "1", "--learning-rate", "0.01",
    )  # fmt: skip
    assert from_file["steps"] == typed["steps"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--data", "/nonexistent/rows.csv"], "cannot read"),
        (["--hidden=1,2,3", "--inputs", "1", "2", "--target", "1"], "one weight per input"),
        (["--activation", "relu", "--inputs", "1", "2", "--target", "1"], "hidden layer"),
        (["--inputs", "1", "2"], "--inputs and --target"),
    ],
)
def test_trace_refuses_bad_network_or_data_in_one_line(capsys, args, words):
    """Bad hidden weights, activation without a hidden layer, unreadable data: exit 2, one line."""
    assert main(["trace", "--weights", "1", "1", "--learning-rate", "0.1", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_trace_names_the_bad_cell_of_a_data_file(capsys, tmp_path):
    """A bad cell in --data is reported with its line and column."""
    data = tmp_path / "bad.csv"
    data.write_text("1,2,3\n4,x,9\n")
    assert main(["trace", "--weights", "0", "0", "--data", str(data), "--learning-rate", "1"]) == 2
    assert "Line 2, column 2" in capsys.readouterr().err


# ----------------------------------------------------------------- mini-batches
def batch_problem(batch_size=2, seed=7):
    rng = np.random.default_rng(1)
    return Problem.create(
        rng.normal(size=(10, 2)), rng.normal(size=10), 0.05, batch_size=batch_size, seed=seed
    )


def test_batches_are_fixed_by_seed_and_step():
    """The same seed and step draw the same rows; another step draws others."""
    problem = batch_problem()
    assert problem.batch_rows(3).tolist() == problem.batch_rows(3).tolist()
    assert len(problem.batch_rows(3)) == 2
    draws = {tuple(problem.batch_rows(step)) for step in range(20)}
    assert len(draws) > 5
    assert batch_problem(batch_size=0).batch_rows(3) is None
    assert batch_problem(batch_size=10).batch_size == 0  # every row is the full batch


def test_a_mini_batch_step_uses_the_batch_slope():
    """One step moves the weights by the rate times the slope on that step's rows only."""
    problem = batch_problem()
    start = engine.evaluate(problem, [0.5, -0.5])
    descent = engine.descend(problem, start, 1, first_step=0)
    rows = problem.batch_rows(0)
    batch = problem.subset(rows)
    expected = np.array([0.5, -0.5]) - 0.05 * engine.evaluate(batch, [0.5, -0.5]).gradient
    np.testing.assert_array_equal(descent.weights[0], expected)
    assert descent.batch_losses[0] == engine.evaluate(batch, [0.5, -0.5]).loss
    assert descent.losses[0] == engine.evaluate(problem, expected).loss


def test_mini_batch_descent_and_run_agree():
    """The fast loop and the step-by-step run take the same batches and land on the same weights."""
    problem = batch_problem()
    run = engine.run(problem, [0.5, -0.5], 30)
    descent = engine.descend(problem, run.evaluations[0], 30, first_step=0)
    np.testing.assert_array_equal(descent.weights[-1], run.evaluations[-1].weights)


def test_trace_takes_a_batch_size_and_a_seed(capsys):
    """--batch-size 1 --seed 3 gives a different path from full batch, the same every time."""
    common = ["--weights", "0", "--inputs", "1", "--inputs", "2", "--inputs", "3",
              "--target", "1", "2", "3", "--learning-rate", "0.05", "--steps", "5"]  # fmt: skip
    one = trace_json(capsys, *common, "--batch-size", "1", "--seed", "3")
    again = trace_json(capsys, *common, "--batch-size", "1", "--seed", "3")
    full = trace_json(capsys, *common)
    assert one["steps"] == again["steps"]
    assert one["steps"][-1]["weights"] != full["steps"][-1]["weights"]
