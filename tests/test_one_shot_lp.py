"""OneShotLP (the dual LP with rows generated from the pairs) against the primal LP."""
import numpy as np
import pytest
from scipy.optimize import linprog

from advot_teach import datasets
from advot_teach.hypergraph import conflict_hypergraph
from advot_teach.lp import BarycenterLP, OneShotLP, interior_point, match_rows, maximal_hyperedges


def _hyperedges(X, y, eps, norm=2, max_order=None):
    """The conflict hyperedges of (X, y) at eps, one array per size (pairs first)."""
    hg = conflict_hypergraph(X, np.unique(y, return_inverse=True)[1], eps, norm, max_order)
    return [hg.edges[k] for k in hg.orders]


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
    edges = _hyperedges(X, y, eps)
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
        lp = OneShotLP(w / w.sum(), _hyperedges(X, y, eps))
        lp.solve()
        routes[name] = (lp.route, lp.n_solves)
    assert routes["one ball"][0] == "ipm"
    assert routes["blobs"] == ("rows", 1)  # the pairs alone certify it
    assert any(route == "rows" and solves > 1 for route, solves in routes.values())  # rows were added


def test_no_hyperedges():
    lp = OneShotLP(np.full(4, 0.25), [])
    assert lp.solve() == pytest.approx(1.0)
    np.testing.assert_allclose(lp.q, 1.0)


# -- the whole LP at once: interior point, crossover, exact cover ------------------------------------
def _certify(lp, w, edges, value):
    """Both certificates of the optimum: z covers w exactly with total B*; q(e) <= 1 with w'q = B*."""
    singles, atoms = lp.atoms()
    cover, total = singles.copy(), singles.sum()
    for E, (index, mass) in zip(edges, atoms):
        assert np.all(mass > 0)
        np.add.at(cover, E[index].ravel(), np.repeat(mass, E.shape[1]))
        total += mass.sum()
    np.testing.assert_allclose(cover, w, atol=1e-9)
    assert total == pytest.approx(value, abs=1e-9)
    q = lp.q
    assert all(q[E].sum(axis=1).max() <= 1 + 1e-9 for E in edges)
    assert w @ q == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("seed", range(24))
def test_whole_lp_equals_the_primal_lp_on_random_problems(seed):
    """The whole-LP route (maximal rows, q >= 0, over-covering removed) against the exact-cover primal."""
    rng = np.random.default_rng(seed)
    n, k, d = int(rng.integers(8, 70)), int(rng.integers(2, 6)), int(rng.integers(1, 5))
    X, y = rng.normal(size=(n, d)), rng.integers(0, k, n)
    w = rng.uniform(0.0, 1.0, n) if seed % 2 else np.ones(n)
    w[rng.integers(0, n, 2)] = 0.0  # zero weights are allowed
    w /= w.sum()
    edges = _hyperedges(X, y, float(rng.uniform(0.3, 1.2)), [2, 1, np.inf][seed % 3], 4)
    lp = OneShotLP(w, edges)
    value = lp._solve_whole()
    assert value == pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-10)
    _certify(lp, w, edges, value)


def test_over_covering_is_moved_to_subsets():
    """Three classes in one spot, one heavy point: with q >= 0 a cover may exceed w; the atoms may not."""
    X = np.zeros((4, 1))
    y = [0, 1, 2, 2]
    w = np.array([0.4, 0.4, 0.1, 0.1])
    edges = _hyperedges(X, y, 0.1)
    lp = OneShotLP(w, edges)
    value = lp._solve_whole()
    assert value == pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-12)
    _certify(lp, w, edges, value)


def test_route_follows_the_density_of_conflicts():
    """Dense conflicts: our interior point; sparse ones: HiGHS's -- same values."""
    dense_X, dense_y = datasets.classes_in_one_ball(n_classes=4, n_per_class=6, dim=3, seed=1)
    sparse_X, sparse_y = datasets.three_blobs(150)
    for X, y, eps, route in [(dense_X, dense_y, 1.0, "ipm"), (sparse_X, sparse_y, 0.3, "highs-ipm")]:
        w = np.full(len(X), 1 / len(X))
        edges = _hyperedges(X, y, eps)
        lp = OneShotLP(w, edges)
        value = lp._solve_whole()
        assert lp.route == route
        assert value == pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-10)


def test_whole_lp_in_a_new_thread():
    """HiGHS's crossover needs its per-thread scheduler (without it the process crashes)."""
    import threading

    X, y = datasets.classes_in_one_ball(n_classes=3, n_per_class=5, dim=2, seed=3)
    w = np.full(len(X), 1 / len(X))
    edges = _hyperedges(X, y, 1.0)
    values = []
    thread = threading.Thread(target=lambda: values.append(OneShotLP(w, edges)._solve_whole()))
    thread.start()
    thread.join()
    assert values == [pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-10)]


def test_interior_point_is_near_optimal():
    """The interior point alone: feasible to 1e-7 and within 1e-7 of linprog's optimum."""
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 3, 40)
    edges = _hyperedges(X, y, 0.8)
    w = rng.uniform(0.1, 1.0, 40)
    q, z = interior_point(w, edges)
    assert [len(zg) for zg in z] == [len(E) for E in edges]
    A = np.zeros((sum(len(E) for E in edges), 40))
    for r, e in enumerate(e for E in edges for e in E):
        A[r, list(e)] = 1.0
    best = -linprog(-w, A_ub=A, b_ub=np.ones(len(A)), bounds=(0, 1), method="highs").fun
    assert np.all(q >= -1e-7) and np.all(q <= 1 + 1e-7) and (A @ q).max() <= 1 + 1e-7
    assert w @ q == pytest.approx(best, abs=1e-7)
    assert sum(zg.sum() for zg in z) + np.maximum(w - A.T @ np.concatenate(z), 0).sum() == pytest.approx(best, abs=1e-6)


def test_match_rows_and_maximal_hyperedges():
    table = np.array([[3, 1], [0, 2], [2, 1]])
    np.testing.assert_array_equal(match_rows(table, np.array([[1, 2], [2, 0], [1, 3], [0, 1]])), [2, 1, 0, -1])
    big = table.astype(np.int64) + 2**40  # digits would overflow int64: the rank-based path
    np.testing.assert_array_equal(match_rows(big, big[[2, 0]][:, ::-1]), [2, 0])
    pairs = np.array([[0, 1], [0, 2], [1, 2], [2, 3], [1, 3]])
    triples = np.array([[0, 1, 2]])
    keep = maximal_hyperedges([pairs, triples])
    np.testing.assert_array_equal(keep[0], [False, False, False, True, True])
    np.testing.assert_array_equal(keep[1], [True])


def test_uncertified_answers_fall_back_to_the_primal_lp(monkeypatch):
    """Weights over nine orders of magnitude: HiGHS's absolute tolerances let the whole-LP route end
    "optimal" 3e-9 off (highspy 1.16: q_1 = 0 instead of 1 on a point of weight 3e-9).  The certificate
    check catches such answers and the primal LP answers instead."""
    w = np.array([2.99531e-07, 2.979e-09, 0.000397015411, 0.000453607404, 0.987865119635, 0.000256591422])
    w /= w.sum()
    edges = [np.array([[0, 1], [0, 3], [0, 4], [1, 5], [2, 3], [3, 5], [4, 5]])]
    exact = BarycenterLP(w, edges).solve()
    lp = OneShotLP(w, edges)
    whole = lp._solve_whole()
    assert lp.certified() == (abs(whole - exact) <= 1e-10)
    monkeypatch.setattr(OneShotLP, "_solve_transposed", OneShotLP._solve_whole)  # force that route
    lp = OneShotLP(w, edges)
    assert lp.solve() == pytest.approx(exact, abs=1e-15)
    assert lp.route in ("ipm", "ipm+primal") and lp.certified()
    _certify(lp, w, edges, exact)
    # a broken certificate is seen whatever the solver did
    lp.mass[0] *= 0.5
    assert not lp.certified()
    monkeypatch.setattr(OneShotLP, "_solve_transposed", lambda self: (OneShotLP._solve_whole(self),
                                                                     self.mass[0].__imul__(0.5)))
    lp = OneShotLP(w, edges)
    assert lp.solve() == pytest.approx(exact, abs=1e-15) and lp.route == "ipm+primal"
    _certify(lp, w, edges, exact)


class _WholeLP(OneShotLP):
    """OneShotLP forced onto the whole-LP route (what dense digits with triples take)."""

    _solve_transposed = OneShotLP._solve_whole


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("route", ["as chosen", "our interior point", "HiGHS interior point"])
def test_weights_over_twelve_orders_of_magnitude(seed, route, monkeypatch):
    """Every route returns a certified optimum, whatever HiGHS's absolute tolerances did on the way."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 50))
    X, y = rng.normal(size=(n, 2)), rng.integers(0, 4, n)
    w = 10 ** rng.uniform(-12, 0, n)
    w /= w.sum()
    edges = _hyperedges(X, y, float(rng.uniform(0.4, 1.0)), 2, 3)
    if route == "HiGHS interior point":
        monkeypatch.setattr("advot_teach.lp.DENSE_IPM_MIN_FILL", 1e9)
    lp = (OneShotLP if route == "as chosen" else _WholeLP)(w, edges)
    value = lp.solve()
    assert lp.certified()
    assert value == pytest.approx(BarycenterLP(w, edges).solve(), abs=1e-9)
    _certify(lp, w, edges, value)
