"""The LP engine (advot_teach.lp): its three ways of solving agree with each
other and with scipy's linprog (an independent LP code), its certificates
hold, and HiGHS prints nothing."""
import subprocess
import sys

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from advot_teach import datasets
from advot_teach.hypergraph import conflict_hypergraph
from advot_teach.lp import MASS_FLOOR, BarycenterLP


def _problem(seed=0, eps=0.45):
    X, y = datasets.three_blobs(12, seed=seed)
    w = np.random.default_rng(seed).uniform(0.5, 1.0, len(X))
    w /= w.sum()
    hg = conflict_hypergraph(X, y, eps)
    return X, w, hg, [hg.edges[k] for k in hg.orders], [hg.centre[k] for k in hg.orders]


def _linprog(w, edges):
    columns = [[j] for j in range(len(w))] + [list(e) for E in edges for e in E]
    rows = [j for c in columns for j in c]
    cols = [t for t, c in enumerate(columns) for _ in c]
    A = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(w), len(columns)))
    return linprog(np.ones(len(columns)), A_eq=A, b_eq=w, bounds=(0, None), method="highs").fun


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_three_ways_agree_with_linprog(seed):
    X, w, hg, edges, centres = _problem(seed)
    expected = _linprog(w, edges)
    once = BarycenterLP(w, edges)
    assert once.solve() == pytest.approx(expected, abs=1e-9)
    generated = BarycenterLP(w, edges, columns="generate")
    assert generated.generate([len(E) for E in edges]) == pytest.approx(expected, abs=1e-9)
    # masking: a smaller alive set is the LP over those columns only
    half = [np.arange(len(E)) < len(E) // 2 for E in edges]
    assert once.solve(np.concatenate(half)) == pytest.approx(_linprog(w, [E[h] for E, h in zip(edges, half)]),
                                                              abs=1e-9)
    assert once.solve(np.ones(sum(len(E) for E in edges), dtype=bool)) == pytest.approx(expected, abs=1e-9)


def test_certificates_of_a_solve():
    X, w, hg, edges, centres = _problem(3)
    lp = BarycenterLP(w, edges)
    value = lp.solve()
    q = lp.q
    assert np.all((0 <= q) & (q <= 1))
    for E in edges:  # dual feasible ...
        assert np.all(q[E].sum(axis=1) <= 1 + 1e-9)
    assert w @ q == pytest.approx(value, abs=1e-9)  # ... with the primal value: both optimal
    bary = lp.barycenter(X, centres)
    assert bary.total_mass == pytest.approx(value, abs=1e-9)
    assert np.all(bary.mass > MASS_FLOOR)
    covered = np.zeros(len(w))
    for members, m in zip(bary.members, bary.mass):
        covered[list(members)] += m
    np.testing.assert_allclose(covered, w, atol=1e-9)  # A z = w


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="columns"):
        BarycenterLP(np.ones(2) / 2, [], columns="some")


def test_highs_prints_nothing():
    code = ("import numpy as np; from advot_teach.lp import BarycenterLP; "
            "BarycenterLP(np.ones(2) / 2, [np.array([[0, 1]])]).solve()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "" and out.stderr == ""
