"""Exercises of notebook 07: every solution passes its checker, typical
mistakes get a hint (not a pass), and the checkers are deterministic."""

import numpy as np
import pytest

from exercise_solutions import solution_answer as _solution_answer
from scipy.special import logsumexp

from advot_teach.exercises import check

IDS = ["07.1", "07.2", "07.3", "07.4"]







@pytest.mark.parametrize("id", IDS)
def test_placeholders_and_wrong_types_are_not_accepted(id):
    assert "not answered yet" in check(id, ...).message
    wrong = "a string" if id == "07.4" else 0.5
    verdict = check(id, wrong)
    assert not verdict.correct
    if id != "07.4":
        assert "function itself" in verdict.message


def test_ceiling_mistakes():
    assert "barycenter mass" in check("07.1", lambda L: 1 / L).message
    assert "R*_1 = 0" in check("07.1", lambda L: 1 - 1 / (L + 1)).message
    assert "is not right" in check("07.1", lambda L: 0.5 if L > 1 else 0.0).message


def _update(g, hyperedges, codes, weights, c, reg, *, log_domain=True, drop_own=True, only_class=True):
    new = np.array(g, dtype=float)
    for j in range(len(g)):
        if only_class and codes[j] != c:
            continue
        vals = [(sum(g[i] for i in e if (i != j or not drop_own)) - 1) / reg for e in hyperedges if j in e]
        lse = logsumexp(vals) if log_domain else np.log(np.sum(np.exp(vals)))
        new[j] = reg * np.log(weights[j]) - reg * lse
    return new


def test_class_update_mistakes():
    assert check("07.2", _update).correct  # the reference above is right...
    with np.errstate(all="ignore"):
        naive = check("07.2", lambda *a: _update(*a, log_domain=False)).message
    assert "log domain" in naive
    assert "covered exactly" in check("07.2", lambda *a: _update(*a, drop_own=False)).message
    assert "only the potentials" in check("07.2", lambda *a: _update(*a, only_class=False)).message
    assert "shape" in check("07.2", lambda g, *a: g[:-1]).message


def _coverage(z, hyperedges, n):
    cover = np.zeros(n)
    for mass, e in zip(z, hyperedges):
        cover[list(e)] += mass
    return cover


def test_round_plan_mistakes():
    def scale_only(z, hyperedges, w):
        ratio = np.minimum(1, w / _coverage(z, hyperedges, len(w)))
        return np.array([m * ratio[list(e)].min() for m, e in zip(z, hyperedges)])

    def fill_only(z, hyperedges, w):
        new = np.array(z, dtype=float)
        deficit = np.maximum(w - _coverage(z, hyperedges, len(w)), 0)
        for k, e in enumerate(hyperedges):
            if len(e) == 1:
                new[k] += deficit[e[0]]
        return new

    def singletons_only(z, hyperedges, w):
        return np.array([w[e[0]] if len(e) == 1 else 0.0 for e in hyperedges])

    assert "under-covered" in check("07.3", scale_only).message
    assert "over-covered" in check("07.3", fill_only).message
    assert "throws away" in check("07.3", singletons_only).message
    assert "shape" in check("07.3", lambda z, h, w: z[:3]).message


def test_threshold_mistakes():
    assert check("07.4", 11 / 32).correct
    assert "smaller eps" in check("07.4", 12 / 32).message
    assert "still below" in check("07.4", 10 / 32).message
    assert "from the grid" in check("07.4", 0.3).message
    assert "one number" in check("07.4", lambda: 0.3).message


def test_checkers_are_deterministic():
    for id in IDS:
        answer = _solution_answer(id)
        assert check(id, answer).message == check(id, answer).message
