"""Exercises of notebooks 02 and 03: every solution passes, typical mistakes get a hint."""
from pathlib import Path

import numpy as np
import pytest

from advot_teach.exercises import check

SOLUTIONS = Path(__file__).resolve().parents[1] / "advot_teach" / "exercises" / "solutions"
IDS = [f"0{n}.{k}" for n in (2, 3) for k in range(1, 6)]













def _sign_attack_too_weak():
    from advot_teach.exercises.nb02 import attack_data

    X, eps = attack_data()
    return X + [0.0, eps]  # moves within budget but parallel to the boundary


def _too_far_attack():
    from advot_teach.exercises.nb02 import attack_data

    X, eps = attack_data()
    return X - [2 * eps, 0.0]


def _unsorted_interpolation(X, Y, t):
    return (1 - t) * X + t * Y


WRONG = [
    ("02.1", np.array([[0.25, 0.25, 0.5], [0.0, 0.0, 0.0]]), "row sums"),
    ("02.1", np.array([[0.0, 0.25, 0.25], [0.25, 0.0, 0.25]]), "not the monotone one"),
    ("02.2", (7 / 3, np.sqrt(11 / 3)), "sort both samples"),
    ("02.2", (5 / 3, 11 / 3), "square root"),
    ("02.3", lambda X, Y: np.linalg.norm(X - Y, axis=1).max(), "bottleneck value"),
    ("02.4", _sign_attack_too_weak(), "flips 0 predictions"),
    ("02.4", _too_far_attack(), "outside the W_inf ball"),
    ("02.4", np.zeros((3, 2)), "shape"),
    ("02.5", 0.75, "W1"),
    ("02.5", 2.0, "quantile functions"),
    ("03.1", [2.5, 3.0, 3.5], "sort each sample"),
    ("03.2", (2.5, np.sqrt(7.0)), "variances"),
    ("03.2", (1.0, 2.5), "mean"),
    ("03.4", _unsorted_interpolation, "linear_sum_assignment"),
    ("03.3", lambda P, w: float(((P - P.mean(axis=0)) ** 2).sum(axis=1) @ w), "weighted mean"),
    ("03.5", lambda eps: 0.5 if eps > 0.5 else 1.0, "touch"),
    ("03.5", lambda eps: 1.0, "least total mass"),
]


@pytest.mark.parametrize("id, answer, hint", WRONG)
def test_typical_mistakes_get_a_hint(id, answer, hint):
    verdict = check(id, answer)
    assert not verdict.correct
    assert hint in verdict.message


def test_an_answer_that_raises_gets_a_hint_not_a_traceback():
    verdict = check("02.3", lambda X, Y: 1 / 0)
    assert not verdict.correct and "ZeroDivisionError" in verdict.message


@pytest.mark.parametrize("id", ["02.3", "03.4", "03.3", "03.5"])
def test_an_empty_function_body_gets_a_hint(id):
    def stub(*args):
        ...

    verdict = check(id, stub)
    assert not verdict.correct and "returns None" in verdict.message
