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
    wrong = 0.5
    verdict = check(id, wrong)
    assert not verdict.correct
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


def _loop(hyperedges, codes, weights, reg, n_sweeps, *, jacobi=False, error_before=False):
    n = len(weights)
    g = np.zeros(n)
    errors = []

    def error(g):
        sums = [sum(g[i] for i in e) for e in hyperedges]
        cover = [sum(np.exp((s - 1) / reg) for s, e in zip(sums, hyperedges) if j in e) for j in range(n)]
        return float(np.sum(np.abs(np.array(cover) - weights)))

    for _ in range(n_sweeps):
        if error_before:
            errors.append(error(g))
        old = g.copy()
        for c in np.unique(codes):
            updated = _update(old if jacobi else g, hyperedges, codes, weights, c, reg)
            g = np.where(codes == c, updated, g)
        if not error_before:
            errors.append(error(g))
    return g, np.array(errors)


def test_sinkhorn_loop_mistakes():
    assert check("07.4", _loop).correct  # an independent loop built on _update above passes...
    assert "same old potentials" in check("07.4", lambda *a: _loop(*a, jacobi=True)).message
    assert "after sweep t" in check("07.4", lambda *a: _loop(*a, error_before=True)).message
    assert "pair (g, errors)" in check("07.4", lambda *a: _loop(*a)[0]).message
    assert "shape" in check("07.4", lambda *a: (_loop(*a)[0][:-1], _loop(*a)[1])).message
    shifted = check("07.4", lambda *a: (_loop(*a)[0] + 1e-3, _loop(*a)[1])).message
    assert "differ from the reference" in shifted


def test_sinkhorn_loop_solution_matches_the_package():
    # For reg >= 0.1 the package runs plain sweeps from g = 0 (no reg-annealing):
    # its marginal error after t sweeps is the loop's errors[t - 1], and the
    # rounded plan of the converged loop gives the package's bound.
    from advot_teach import sinkhorn_adversarial_risk
    from advot_teach.datasets import three_blobs
    from advot_teach.hypergraph import conflict_hypergraph

    X, y = three_blobs(4, seed=5)
    hyperedges = [(j,) for j in range(len(X))] + conflict_hypergraph(X, y, 0.8).as_tuples()
    w = np.full(len(X), 1 / len(X))
    g, errors = _solution_answer("07.4")(hyperedges, y, w, 0.2, 40)
    for t in (1, 3, 10):
        package = sinkhorn_adversarial_risk(X, y, 0.8, max_order=3, reg=0.2, max_iter=t, tol=0)
        assert package.marginal_error == pytest.approx(errors[t - 1], rel=1e-9, abs=1e-14)
    z = np.exp([(g[list(e)].sum() - 1) / 0.2 for e in hyperedges])
    bound = 1 - _solution_answer("07.3")(z, hyperedges, w).sum()
    assert bound == pytest.approx(sinkhorn_adversarial_risk(X, y, 0.8, max_order=3, reg=0.2).risk, abs=1e-4)
    assert errors[-1] < 1e-9 and np.all(np.diff(errors[:20]) < 0)


def test_checkers_are_deterministic():
    for id in IDS:
        answer = _solution_answer(id)
        assert check(id, answer).message == check(id, answer).message
