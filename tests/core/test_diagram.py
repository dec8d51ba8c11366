"""The diagram's numbers: what each node and edge shows, and which way each weight moves. No Qt."""

import numpy as np
import pytest

from gd_desktop.core import diagram, engine
from gd_desktop.core.diagram import GOES_DOWN, GOES_UP, STAYS, network_picture


def after_one_step(problem, weights):
    start = engine.evaluate(problem, np.array(weights, dtype=float))
    return engine.evaluate(problem, engine.next_weights(problem, start))


def test_two_input_example_after_one_step():
    """The course's example: 3 × 0.7 + 4 × 1.6 = 8.5; error 2.5; slopes 15 and 20, both down."""
    problem = engine.Problem.create([3.0, 4.0], [6.0], 0.01)
    picture = network_picture(problem, after_one_step(problem, [1.0, 2.0]))
    assert picture.inputs.tolist() == [3.0, 4.0]
    assert picture.weights.tolist() == pytest.approx([0.7, 1.6], rel=1e-12)
    assert picture.names == ("w1", "w2")
    assert picture.prediction == pytest.approx(8.5, rel=1e-12)
    assert picture.target == 6.0
    assert picture.error == pytest.approx(2.5, rel=1e-12)
    assert picture.slopes.tolist() == pytest.approx([15.0, 20.0], rel=1e-12)
    assert picture.moves == (GOES_DOWN, GOES_DOWN)
    assert picture.slope_shares.tolist() == pytest.approx([0.75, 1.0], rel=1e-12)
    assert picture.rows == 1
    assert picture.hidden_count == 0
    assert picture.switched_off == ()


def test_a_negative_slope_moves_the_weight_up_and_a_flat_one_stays():
    """Example 1 before its step: slope −24, so w1 goes up; an input of 0 gives no slope."""
    problem = engine.Problem.create([3.0, 0.0], [10.0], 0.01)
    picture = network_picture(problem, engine.evaluate(problem, np.array([2.0, 5.0])))
    assert picture.slopes.tolist() == [-24.0, 0.0]
    assert picture.moves == (GOES_UP, STAYS)
    assert picture.slope_shares.tolist() == [1.0, 0.0]


def test_shares_ignore_a_slope_too_big_to_compute():
    """An overflowed slope does not make every other edge thin."""
    shares = diagram.slope_shares(np.array([np.inf, -2.0, 1.0]))
    assert shares[1:].tolist() == [1.0, 0.5]
    assert diagram.slope_shares(np.zeros(2)).tolist() == [0.0, 0.0]


def test_hidden_nodes_show_the_first_rows_sums_and_which_relu_is_off():
    """A ReLU node whose sum is not above 0 is drawn switched off; the other passes its sum."""
    problem = engine.Problem.create([[1.0, 2.0], [3.0, 1.0]], [1.0, 2.0], 0.01, 2, "relu")
    # Output weights 0.5 and 1; node 1 gets 1 × 1 + 2 × 1 = 3, node 2 gets 1 × (−1) + 2 × 0 = −1.
    weights = np.array([0.5, 1.0, 1.0, 1.0, -1.0, 0.0])
    evaluation = engine.evaluate(problem, weights)
    picture = network_picture(problem, evaluation)
    assert picture.hidden_count == 2
    assert picture.hidden_sums.tolist() == [3.0, -1.0]
    assert picture.hidden_values.tolist() == [3.0, 0.0]
    assert picture.switched_off == (False, True)
    assert picture.prediction == pytest.approx(1.5)
    assert picture.rows == 2
    assert picture.target == 1.0
    assert picture.names[:2] == ("w(h1→out)", "w(h2→out)")
    assert picture.slopes.tolist() == evaluation.gradient.tolist()


# --- the labels' places -------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gd_desktop.core.diagram import (  # noqa: E402
    Box,
    LabelRequest,
    Node,
    around_centres,
    edge_centres,
    place_labels,
)


def clear_of_each_other_and_the_nodes(boxes, nodes, gap=0.0) -> bool:
    placed = list(boxes.values())
    for i, box in enumerate(placed):
        if any(box.covers(node, gap) > 0 for node in nodes):
            return False
        if any(box.overlap(other) > 0 for other in placed[i + 1 :]):
            return False
    return True


def two_input_network():
    """The slide's network as a 560 × 280 diagram draws it: two inputs, one output."""
    inputs = [Node(70, 60, 30), Node(70, 180, 30)]
    output = Node(500, 120, 37)
    return inputs, output


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(20, 230), st.floats(14, 44)), min_size=2, max_size=2))
def test_edge_labels_of_any_size_cover_no_node_and_no_other_label(sizes):
    """Edge labels covered nodes and each other; a long value made them wider still."""
    inputs, output = two_input_network()
    nodes = [*inputs, output]
    requests = [
        LabelRequest("prediction", 84, 19, around_centres(output, 84, 19, "tbl", 3)),
        *(
            LabelRequest(f"edge:{k}", w, h, edge_centres((n.x, n.y), (output.x, output.y), w, h))
            for k, (n, (w, h)) in enumerate(zip(inputs, sizes))
        ),
    ]
    boxes = place_labels(requests, nodes, Box(2, 2, 556, 236), gap=3)
    assert all(box.clear for box in boxes.values())
    assert clear_of_each_other_and_the_nodes(boxes, nodes)
    for box in boxes.values():
        assert box.left >= 2 and box.right <= 558 and box.top >= 2 and box.bottom <= 238


def test_a_label_with_no_free_place_says_so_and_an_alternative_is_taken():
    """Two lines that fit nowhere give way to one line that does (the view then draws it)."""
    node = Node(50, 50, 30)
    tall = LabelRequest("edge:0", 60, 90, ((50, 50),))
    flat = LabelRequest("edge:0", 60, 12, ((50, 50),))
    boxes = place_labels([(tall, flat)], [node], Box(0, 0, 100, 100), gap=2)
    assert boxes["edge:0"].variant == 1 and boxes["edge:0"].clear
    cramped = place_labels([tall], [node], Box(0, 0, 100, 100), gap=2)
    assert not cramped["edge:0"].clear  # the view shrinks its nodes and tries again


def test_the_diagram_says_where_momentum_really_moves_a_weight():
    """With momentum the step can go against the slope: the diagram follows the step the
    optimizer takes, not the slope's sign."""
    from gd_desktop.core.run import Run

    problem = engine.Problem.create([3.0], [10.0], 0.01, optimizer="momentum")
    run = Run(problem, [2.0])
    run.advance(7)  # past the minimum (10/3) and still climbing: the slope says down
    picture = network_picture(run.problem, run.current, run.next_weights)
    assert picture.slopes[0] > 0  # the slope alone would send the weight down …
    assert run.next_weights[0] > run.current.weights[0]  # … momentum sends it up
    assert picture.moves == (GOES_UP,)
    assert network_picture(run.problem, run.current).moves == (GOES_DOWN,)
