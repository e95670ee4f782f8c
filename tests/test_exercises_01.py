"""Exercises of notebook 01: every solution passes its checker, typical
mistakes get a hint (not a pass), and the checkers are deterministic."""
import numpy as np
import pytest

from exercise_solutions import solution_answer as _solution_answer

from advot_teach.exercises import check

IDS = ["01.1", "01.2", "01.3", "01.4"]







@pytest.mark.parametrize("id", IDS)
def test_placeholders_and_non_functions_are_not_accepted(id):
    assert not check(id, ...).correct
    assert "not answered yet" in check(id, ...).message
    verdict = check(id, 0.5)
    assert not verdict.correct and "function itself" in verdict.message


def test_fgsm_mistakes():
    def l2_step_everywhere(g, eps, norm):
        n = np.linalg.norm(g, axis=1, keepdims=True)
        return eps * np.divide(g, n, out=np.zeros_like(g), where=n > 0)

    def sign_everywhere(g, eps, norm):
        return eps * np.sign(g)

    def nan_on_zero_rows(g, eps, norm):
        if norm == np.inf:
            return eps * np.sign(g)
        return eps * g / np.linalg.norm(g, axis=1, keepdims=True)

    with np.errstate(invalid="ignore", divide="ignore"):
        assert "dual norm" in check("01.1", l2_step_everywhere).message
        assert "linf step" in check("01.1", sign_everywhere).message
        assert "nan" in check("01.1", nan_on_zero_rows).message
    assert not check("01.1", lambda g, eps, norm: 0 * g).correct
    assert not check("01.1", lambda g, eps, norm: g[:, :2]).correct  # wrong shape


def test_projection_mistakes():
    assert "rescale" in check("01.2", lambda d, eps, norm: np.clip(d, -eps, eps)).message

    def always_to_sphere(d, eps, norm):
        if norm == np.inf:
            return np.clip(d, -eps, eps)
        n = np.linalg.norm(d, axis=1, keepdims=True)
        return eps * d / np.maximum(n, 1e-300)

    assert "unchanged" in check("01.2", always_to_sphere).message
    assert "outside" in check("01.2", lambda d, eps, norm: d).message


def test_linear_robust_accuracy_mistakes():
    def clean(w, b, X, y, eps, norm):
        return np.mean(y * (X @ w + b) > 0)

    def primal_norm(w, b, X, y, eps, norm):
        return np.mean(y * (X @ w + b) > eps * np.linalg.norm(w, ord=norm))

    assert "clean accuracy" in check("01.3", clean).message
    assert "dual norm" in check("01.3", primal_norm).message


def test_conflict_pair_mistakes():
    solution_fn = _solution_answer("01.4")
    assert "can still grow" in check("01.4", lambda X, y, eps, norm: []).message
    assert "same class" in check("01.4", lambda X, y, eps, norm: [(0, 1)]).message

    def radius_not_diameter(X, y, eps, norm):
        return solution_fn(X, y, 2 * eps, norm)

    assert "do not meet" in check("01.4", radius_not_diameter).message

    def repeated(X, y, eps, norm):
        pairs = solution_fn(X, y, eps, norm)
        return pairs + pairs[:1]

    assert "disjoint" in check("01.4", repeated).message


def test_checkers_are_deterministic():
    answer = _solution_answer("01.4")
    assert [check("01.4", answer).message for _ in range(2)] == [check("01.4", answer).message] * 2


@pytest.mark.parametrize("id", ["01.1", "01.2", "01.3", "01.4"])
def test_an_empty_function_body_gets_a_hint(id):
    def stub(*args):
        ...

    verdict = check(id, stub)
    assert not verdict.correct and "returns None" in verdict.message
