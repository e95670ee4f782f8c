"""OneShotLP (the dual LP with rows generated from the pairs) against the primal LP."""
import numpy as np
import pytest
from scipy.optimize import linprog

from advot_teach import datasets
from advot_teach.hypergraph import conflict_hypergraph
from advot_teach.lp import BarycenterLP, OneShotLP


def _problem(name):
    rng = np.random.default_rng(0)
    if name == "one ball":  # every triple violated by the pair solution: interior-point route
        X, y = datasets.classes_in_one_ball(n_classes=4, n_per_class=6, dim=3, seed=1)
        return X, y, rng.uniform(0.2, 1.0, len(X)), 1.0
    if name == "circles":
        X, y = datasets.four_circles()
        return X, y, np.full(len(X), 1 / len(X)), 0.75
    if name == "blobs":  # pairs certify the optimum
        X, y = datasets.three_blobs(40)
        return X, y, rng.uniform(0.2, 1.0, len(X)), 0.35
    X = rng.normal(size=(60, 2))  # a few violated triples: rows added to the model
    y = rng.integers(0, 4, size=60)
    return X, y, rng.uniform(0.2, 1.0, 60), 0.3


@pytest.mark.parametrize("name", ["one ball", "circles", "blobs", "random"])
def test_one_shot_equals_the_primal_lp_with_certificates(name):
    X, y, w, eps = _problem(name)
    w = w / w.sum()
    hg = conflict_hypergraph(X, np.unique(y, return_inverse=True)[1], eps)
    edges = [hg.edges[k] for k in hg.orders]
    lp = OneShotLP(w, edges)
    value = lp.solve()
    assert value == pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-10)
    # Independent: scipy's linprog on the primal with the full incidence matrix.
    cols = [(j,) for j in range(len(w))] + [tuple(e) for E in edges for e in E]
    A = np.zeros((len(w), len(cols)))
    for c, members in enumerate(cols):
        A[list(members), c] = 1.0
    assert value == pytest.approx(linprog(np.ones(len(cols)), A_eq=A, b_eq=w, method="highs").fun, abs=1e-9)
    # Primal: masses >= 0 covering every weight exactly, total B*.
    singles, atoms = lp.atoms()
    cover = singles.copy()
    total = singles.sum()
    for E, (index, mass) in zip(edges, atoms):
        assert np.all(mass >= 0)
        np.add.at(cover, E[index].ravel(), np.repeat(mass, E.shape[1]))
        total += mass.sum()
    assert singles.min() >= -1e-10
    np.testing.assert_allclose(cover, w, atol=1e-9)
    assert total == pytest.approx(value, abs=1e-9)
    # Dual: every hyperedge (in the model or not) holds q(e) <= 1, same value.
    q = lp.q
    assert np.all((q >= 0) & (q <= 1))
    for E in edges:
        assert q[E].sum(axis=1).max() <= 1 + 1e-9
    assert w @ q == pytest.approx(value, abs=1e-9)


def test_both_routes_are_exercised():
    routes = {}
    for name in ["one ball", "circles", "blobs", "random"]:
        X, y, w, eps = _problem(name)
        hg = conflict_hypergraph(X, np.unique(y, return_inverse=True)[1], eps)
        lp = OneShotLP(w / w.sum(), [hg.edges[k] for k in hg.orders])
        lp.solve()
        routes[name] = (lp.route, lp.n_solves)
    assert routes["one ball"][0] == "ipm"
    assert routes["blobs"] == ("rows", 1)  # the pairs alone certify it
    assert any(route == "rows" and solves > 1 for route, solves in routes.values())  # rows were added


def test_no_hyperedges():
    lp = OneShotLP(np.full(4, 0.25), [])
    assert lp.solve() == pytest.approx(1.0)
    np.testing.assert_allclose(lp.q, 1.0)
