"""The two course lessons where the optimizer is the point hold what their notes say."""

from __future__ import annotations

import numpy as np
import pytest

from gd_desktop.core import engine, i18n, lesson
from gd_desktop.core.presets import PRESETS
from gd_desktop.core.run import Run

BY_ID = {preset.id: preset for preset in PRESETS}


def run_of(preset_id: str, steps: int, **changes) -> engine.History:
    """The shipped lesson's run (from its file, as a class opens it), ``steps`` steps on."""
    (path,) = [p for p in lesson.shipped_lessons() if p.stem == preset_id]
    problem = lesson.load(path).problem.replaced(**changes)
    run = Run(problem, BY_ID[preset_id].weights, history_limit=steps + 1)
    run.advance(steps, halt_when_diverging=False, halt_when_converged=False)
    return run.history


def first_within(history: engine.History, point, distance: float) -> int:
    far = np.abs(history.weights - np.asarray(point)).max(axis=1)
    return int(np.argmax(far < distance))


def test_the_narrow_valley_is_narrow_and_its_rate_as_plain_steps_allow():
    """Curved about 170 times more sharply across than along; 0.05 about half of 0.094."""
    problem = BY_ID["narrow-valley"].problem
    curvatures = np.linalg.eigvalsh(problem.inputs.T @ problem.inputs)
    assert round(curvatures[1] / curvatures[0]) == 169
    critical = engine.critical_learning_rate(problem)
    assert round(critical, 3) == 0.094 and 0.5 < problem.learning_rate / critical < 0.55
    assert problem.optimizer == "gd" and problem.inputs.tolist() == [[1, 2], [1, 3], [1, 4]]
    assert engine.evaluate(problem, [1.0, 1.0]).loss == 0.0  # the minimum: w1 = w2 = 1


def test_in_the_narrow_valley_plain_steps_crawl_while_momentum_and_adam_get_there():
    """The notes' figures after 100 steps: plain 0.0077 with w1 0.67; momentum 0.00003;
    Adam 0.0003; within 0.01 of the minimum at steps 657, 77 and 24."""
    plain = run_of("narrow-valley", 700)
    momentum = run_of("narrow-valley", 100, optimizer="momentum", momentum=0.9)
    adam = run_of("narrow-valley", 100, optimizer="adam")
    assert f"{plain.losses[100]:.2g}" == "0.0077" and f"{plain.weights[100, 0]:.2f}" == "0.67"
    assert f"{momentum.losses[100]:.1g}" == "3e-05"
    assert f"{adam.losses[100]:.1g}" == "0.0003"
    assert plain.losses[100] > 20 * max(momentum.losses[100], adam.losses[100])
    assert first_within(plain, [1, 1], 0.01) == 657
    assert first_within(momentum, [1, 1], 0.01) == 77
    assert first_within(adam, [1, 1], 0.01) == 24


def test_momentum_overshoots_the_minimum_and_comes_back():
    """The slides' first example with momentum: past 10/3 at step 4 (3.625), 4.26 at step 7,
    back below at step 11, 2.695 at step 14; plain steps never pass 10/3."""
    preset = BY_ID["momentum-overshoots"]
    assert (preset.optimizer, preset.momentum) == ("momentum", 0.9)
    w = run_of("momentum-overshoots", 100).weights[:, 0]
    best = 10 / 3
    assert int(np.argmax(w > best)) == 4 and round(w[4], 3) == 3.625
    assert int(np.argmax(w)) == 7 and round(w[7], 2) == 4.26
    assert int(7 + np.argmax(w[7:] < best)) == 11
    assert round(w[14], 3) == 2.695 and w[14] == w[11:20].min()
    swings = np.abs(w[1:] - best)
    assert swings[40:].max() < swings[:20].max() / 2  # swinging less each time
    plain = run_of("momentum-overshoots", 100, optimizer="gd").weights[:, 0]
    assert plain.max() <= best


@pytest.mark.parametrize("preset_id", ["narrow-valley", "momentum-overshoots"])
def test_the_optimizer_lessons_ship_in_every_language_and_in_the_menu_order(preset_id):
    """Each is a shipped file (its id), carrying its title and notes in every shipped language,
    and its preset's name follows the language in use."""
    assert preset_id in lesson.SHIPPED
    (path,) = [p for p in lesson.shipped_lessons() if p.stem == preset_id]
    loaded = lesson.load(path)
    assert sorted(loaded.translations) == sorted(i18n.SHIPPED)
    before = i18n.current_language()
    try:
        for code in i18n.SHIPPED:
            i18n.set_language(code)
            assert BY_ID[preset_id].name == loaded.shown_title(code) != loaded.title
            assert BY_ID[preset_id].says == loaded.shown_notes(code) != loaded.notes
    finally:
        i18n.set_language(before)
