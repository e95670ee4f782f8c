"""Exact risk paths: the fast sweep must equal the one-eps solver everywhere.

Ground truths used: the per-eps solver :func:`optimal_adversarial_risk` (a
fresh hypergraph and a fresh scipy LP at every eps), the two binary solvers
(matching and POT's optimal transport), the published closed forms (the
triangle: Garcia Trillos, Jacobs, Kim, JMLR 2023, section 5.2; the four
circles: Garcia Trillos, Jacobs, Kim, Werenski 2024), scipy's Hopcroft-Karp matching, and LP duality (a dual feasible q
with w.q equal to the value certifies optimality).
"""
import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_bipartite_matching

from advot_teach import datasets, optimal_adversarial_risk, risk_breakpoints
from advot_teach import hypergraph as hypergraph_module
from advot_teach import binary
from advot_teach.binary import binary_risk_matching, binary_risk_ot
from advot_teach.hypergraph import HypergraphTooLarge, conflict_hypergraph
from advot_teach.geometry import alive
from advot_teach.lp import BarycenterLP
from advot_teach.paths import risk_path, risk_path_info

SQRT3 = np.sqrt(3)
NORMS = [1, 2, np.inf]


def _random_problem(seed, n_classes, dim, n, weighted):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim))
    y = rng.integers(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)  # every class present
    w = rng.uniform(0.1, 1.0, n) if weighted else None
    return X, y, w


def _eps_grid(X, y, norm, rng, size=10):
    """Random budgets plus exact breakpoints (ties are where bugs hide), shuffled, with repeats."""
    marks = risk_breakpoints(X, y, norm=norm, eps_max=2.0)
    chosen = rng.choice(marks, size=min(4, len(marks)), replace=False) if len(marks) else np.zeros(0)
    eps = np.concatenate([[0.0], rng.uniform(0, 1.5, size), chosen, chosen[:1]])
    return rng.permutation(eps)


def _per_eps(X, y, eps_values, **kwargs):
    return np.array([optimal_adversarial_risk(X, y, e, **kwargs).risk for e in eps_values])


# --- Equal to the one-eps solver ------------------------------------------------

CASES = [  # (n_classes, dim, n) for seeds 0.. ; l1 in d >= 3 uses an LP per candidate, keep it small
    (2, 1, 24), (3, 2, 24), (4, 3, 18), (5, 2, 20), (3, 10, 20), (5, 6, 16), (2, 7, 22), (4, 1, 20),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("weighted", [False, True])
def test_path_equals_per_eps_solver(case, norm, weighted):
    n_classes, dim, n = CASES[case]
    if norm == 1 and dim >= 3:
        n = min(n, 14)
    seed = 1000 * case + 10 * NORMS.index(norm) + weighted
    X, y, w = _random_problem(seed, n_classes, dim, n, weighted)
    eps = _eps_grid(X, y, norm, np.random.default_rng(seed))
    got = risk_path(X, y, eps, norm=norm, weights=w)
    np.testing.assert_allclose(got, _per_eps(X, y, eps, norm=norm, weights=w), rtol=0, atol=1e-9)


@pytest.mark.parametrize("max_order", [1, 2, 3])
def test_truncated_path_equals_per_eps_solver(max_order):
    X, y, w = _random_problem(7, 5, 3, 22, weighted=True)
    eps = _eps_grid(X, y, 2, np.random.default_rng(7))
    got = risk_path(X, y, eps, weights=w, max_order=max_order)
    np.testing.assert_allclose(got, _per_eps(X, y, eps, weights=w, max_order=max_order), atol=1e-9)


def test_three_blobs_path_equals_per_eps_solver():
    # A larger LP, where column generation and pruning do real work.
    X, y = datasets.three_blobs(40)
    eps = np.linspace(0, 0.6, 13)
    info = risk_path_info(X, y, eps)
    assert info.method == "lp"
    assert info.n_columns <= 3 * info.n_hyperedges
    np.testing.assert_allclose(info.risk, _per_eps(X, y, eps), atol=1e-9)


# --- Two classes ------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("norm", NORMS)
def test_binary_path_equals_matching_per_eps(seed, norm):
    X, y = datasets.binary_blobs(60, seed=seed)
    eps = np.random.default_rng(seed).permutation(np.concatenate([np.linspace(0, 1.2, 25), [0.3, 0.3]]))
    info = risk_path_info(X, y, eps, norm=norm)
    assert info.method == "matching"
    expected = [binary_risk_matching(X, y, e, norm=norm).risk for e in eps]
    np.testing.assert_allclose(info.risk, expected, rtol=0, atol=1e-12)


def test_binary_path_equals_lp_on_a_larger_sample():
    X, y = datasets.binary_blobs(120, seed=5)
    eps = np.linspace(0, 1.0, 9)
    np.testing.assert_allclose(risk_path(X, y, eps), _per_eps(X, y, eps), atol=1e-9)


def test_weighted_binary_path_equals_optimal_transport():
    X, y = datasets.binary_blobs(40, seed=3)
    w = np.random.default_rng(3).uniform(0.2, 1.0, len(X))
    eps = np.linspace(0, 1.2, 15)
    info = risk_path_info(X, y, eps, weights=w)
    assert info.method == "transport"
    expected = [binary_risk_ot(X, y, e, weights=w) for e in eps]
    np.testing.assert_allclose(info.risk, expected, atol=1e-9)
    np.testing.assert_allclose(info.risk, _per_eps(X, y, eps, weights=w), atol=1e-9)  # and the LP


def test_weighted_binary_plateaus_are_not_solved_again():
    # Beyond the largest cross-class distance every pair conflicts: R* = the
    # lighter class's weight, so the interval between two such eps is constant.
    X, y = datasets.binary_blobs(15, seed=4)
    w = np.random.default_rng(4).uniform(0.2, 1.0, len(X))
    eps = np.linspace(0, 30, 60)
    info = risk_path_info(X, y, eps, weights=w)
    np.testing.assert_allclose(info.risk[eps > 20], (w[y == 0].sum() if w[y == 0].sum() < w[y == 1].sum()
                                                     else w[y == 1].sum()) / w.sum(), atol=1e-12)
    assert info.n_solves < 30
    np.testing.assert_allclose(info.risk, [binary_risk_ot(X, y, e, weights=w) for e in eps], atol=1e-9)


def test_gaussians_1d_binary_path():
    X, y = datasets.gaussians_1d(80, seed=2)
    eps = np.linspace(0, 1.5, 31)
    np.testing.assert_allclose(risk_path(X, y, eps), [binary_risk_matching(X, y, e).risk for e in eps], atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_incremental_matching_is_maximum_after_every_batch(seed):
    # Independent check of the augmenting-path code on random bipartite graphs
    # (not geometric): after each batch its size equals scipy's Hopcroft-Karp
    # on the edges so far, and it is a valid matching of those edges.
    rng = np.random.default_rng(seed)
    n_left, n_right = rng.integers(5, 60, size=2)
    dense = rng.uniform(size=(n_left, n_right)) < rng.uniform(0.03, 0.3)
    eu, ev = np.nonzero(dense)
    order = rng.permutation(len(eu))
    eu, ev = eu[order], ev[order]
    matching = binary._IncrementalMatching(n_left, n_right, eu, ev)
    stops = np.unique(np.concatenate([rng.integers(0, len(eu) + 1, size=8), [len(eu)]]))
    for stop in stops:
        matching.grow(int(stop))
        graph = sparse.csr_matrix((np.ones(stop), (eu[:stop], ev[:stop])), shape=(n_left, n_right))
        assert matching.size == np.count_nonzero(maximum_bipartite_matching(graph, perm_type="column") >= 0)
        left = np.flatnonzero(matching.mate_left >= 0)
        right = matching.mate_left[left]
        assert len(np.unique(right)) == len(right) == matching.size
        np.testing.assert_array_equal(matching.mate_right[right], left)
        present = set(zip(eu[:stop].tolist(), ev[:stop].tolist()))
        assert all((u, v) in present for u, v in zip(left.tolist(), right.tolist()))


# --- Published ground truths --------------------------------------------------------

def test_triangle_closed_form_including_both_breakpoints():
    # JMLR 2023, section 5.2: 0 below 1/2, 1/2 up to 1/sqrt(3), then 2/3.
    X, y = datasets.triangle()
    eps = [0.0, 0.49, 0.5, 0.55, 1 / SQRT3 - 1e-6, 1 / SQRT3, 0.9]
    np.testing.assert_allclose(risk_path(X, y, eps), [0, 0, 0.5, 0.5, 0.5, 2 / 3, 2 / 3], atol=1e-9)


FOUR_CIRCLES = {0.25: (0.3333, 0.3611, 0.3611), 0.5: (0.5, 0.5556, 0.5833),
                0.75: (0.5, 0.6667, 0.6667), 1.0: (0.5, 0.6667, 0.75)}  # Garcia Trillos, Jacobs, Kim, Werenski 2024, L = 2, 3, 4


@pytest.mark.parametrize("level", [0, 1, 2])
def test_four_circles_truncated_values(level):
    X, y = datasets.four_circles()
    eps = sorted(FOUR_CIRCLES)
    got = risk_path(X, y, eps, max_order=level + 2)
    np.testing.assert_allclose(got, [FOUR_CIRCLES[e][level] for e in eps], atol=6e-5)


def test_classes_in_one_ball_reach_the_cap_and_stop_solving():
    X, y = datasets.classes_in_one_ball(n_classes=4, n_per_class=4, dim=2)
    eps = np.linspace(1.0, 3.0, 30)  # all beyond the ball's radius: R* = 1 - 1/K
    info = risk_path_info(X, y, eps)
    np.testing.assert_allclose(info.risk, 0.75, atol=1e-9)
    # Same value at every eps: the first solve already sits at the cap 1 - max class weight.
    single = risk_path_info(X, y, eps[:1])
    assert info.n_solves == single.n_solves


def test_eps_with_the_same_alive_hyperedges_share_one_solve():
    X, y = datasets.triangle()
    one = risk_path_info(X, y, [0.52])
    many = risk_path_info(X, y, np.linspace(0.51, 0.57, 25))  # no birth radius in between
    np.testing.assert_allclose(many.risk, 0.5, atol=1e-12)
    assert many.n_solves == one.n_solves


def test_paths_are_monotone_in_eps_and_in_the_truncation_level():
    X, y = datasets.three_blobs(25, seed=4)
    eps = np.linspace(0, 1.5, 31)
    curves = np.array([risk_path(X, y, eps, max_order=L) for L in (1, 2, 3)])
    np.testing.assert_allclose(curves[0], 0.0)
    assert np.all(np.diff(curves, axis=1) >= -1e-12)  # nondecreasing in eps
    assert np.all(np.diff(curves, axis=0) >= -1e-12)  # R*_1 <= R*_2 <= R*_3


# --- Column generation: an optimality certificate of its own ------------------------------

def test_column_generation_dual_is_feasible_for_every_alive_hyperedge():
    X, y = datasets.three_blobs(30, seed=1)
    codes = y
    w = np.random.default_rng(1).uniform(0.5, 1.0, len(X))
    w = w / w.sum()
    hg = conflict_hypergraph(X, codes, 0.7)
    edges = [hg.edges[k][np.argsort(hg.birth[k], kind="stable")] for k in hg.orders]
    births = [np.sort(hg.birth[k], kind="stable") for k in hg.orders]
    lp = BarycenterLP(w, edges, columns="generate")
    for eps in (0.2, 0.45, 0.7):
        n_alive = [np.searchsorted(b, alive(eps), side="right") for b in births]
        value = lp.generate(n_alive)
        q = lp.row_dual  # unclipped: the certificate must hold as HiGHS returns it
        assert value == pytest.approx(w @ q, abs=1e-9)  # dual objective = primal objective
        assert np.all(q <= 1 + 1e-9)  # singletons
        for E, m in zip(edges, n_alive):
            assert np.all(q[E[:m]].sum(axis=1) <= 1 + 1e-9)  # every alive hyperedge, in the model or not
        assert value == pytest.approx(1 - optimal_adversarial_risk(X, y, eps, weights=w).risk, abs=1e-9)
    assert len(lp.col_index) < sum(n_alive) / 2  # the model holds only part of the hypergraph


def _linprog_value(hg, w, eps):
    """B* at eps by scipy's linprog on the alive hyperedges: a second, independent LP code."""
    columns = [[j] for j in range(len(w))]
    for k in hg.orders:
        columns += [list(e) for e, r in zip(hg.edges[k], hg.birth[k]) if r <= eps * (1 + 1e-9) + 1e-12]
    rows = [j for c in columns for j in c]
    cols = [t for t, c in enumerate(columns) for _ in c]
    A = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(w), len(columns)))
    res = linprog(np.ones(len(columns)), A_eq=A, b_eq=w, bounds=(0, None), method="highs")
    assert res.status == 0
    return res.fun


def test_lp_path_equals_scipy_linprog_at_every_eps():
    X, y, w = _random_problem(11, 3, 2, 30, weighted=True)
    eps = np.linspace(0, 1.2, 13)
    info = risk_path_info(X, y, eps, weights=w)
    assert info.method == "lp"
    _, codes = np.unique(y, return_inverse=True)
    hg = conflict_hypergraph(X, codes, eps[-1])
    expected = [1 - _linprog_value(hg, w / w.sum(), e) for e in eps]
    np.testing.assert_allclose(info.risk, expected, atol=1e-9)


# --- Bounded memory -------------------------------------------------------------------

def test_streamed_hypergraph_equals_one_block(monkeypatch):
    X, y = datasets.classes_in_one_ball(n_classes=4, n_per_class=6, dim=3, seed=2)
    whole = conflict_hypergraph(X, y, 0.6)
    monkeypatch.setattr(hypergraph_module, "_CHUNK_CELLS", 50)
    monkeypatch.setattr(hypergraph_module, "_RADIUS_CELLS", 30)
    streamed = conflict_hypergraph(X, y, 0.6)
    assert whole.orders == streamed.orders == [2, 3, 4]
    for k in whole.orders:
        np.testing.assert_array_equal(whole.edges[k], streamed.edges[k])
        np.testing.assert_array_equal(whole.birth[k], streamed.birth[k])


@pytest.mark.parametrize("n_classes", [2, 4])
def test_too_many_hyperedges_raise_a_memory_error_that_suggests_max_order(n_classes):
    X, y = datasets.classes_in_one_ball(n_classes=n_classes, n_per_class=10, dim=2)
    with pytest.raises(MemoryError, match="max_order") as caught:
        risk_path(X, y, [0.5, 2.0], max_hyperedges=50)
    assert isinstance(caught.value, HypergraphTooLarge)
    assert "50 hyperedges" in str(caught.value)


# --- Inputs ------------------------------------------------------------------------------

def test_output_follows_input_order_and_repeats():
    X, y = datasets.triangle()
    eps = [0.9, 0.0, 0.52, 0.9, 0.52]
    np.testing.assert_allclose(risk_path(X, y, eps), [2 / 3, 0, 0.5, 2 / 3, 0.5], atol=1e-9)


def test_trivial_inputs():
    X, y = datasets.triangle()
    assert risk_path(X, y, []).shape == (0,)
    np.testing.assert_array_equal(risk_path(X, [0, 0, 0], [0.0, 5.0]), [0.0, 0.0])  # one class
    np.testing.assert_array_equal(risk_path(X, y, [0.0, 5.0], max_order=1), [0.0, 0.0])
    np.testing.assert_allclose(risk_path(X, y, [np.inf]), [2 / 3], atol=1e-9)
    info = risk_path_info(X, y, [0.7])
    assert info.eps.tolist() == [0.7] and info.method == "lp"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"eps_values": [-0.1]}, ValueError, "eps_values"),
    ({"eps_values": [[0.1]]}, ValueError, "eps_values"),
    ({"eps_values": [0.1], "norm": 3}, ValueError, "norm"),
    ({"eps_values": [0.1], "max_order": 0}, ValueError, "max_order"),
    ({"eps_values": [0.1], "max_hyperedges": 0}, ValueError, "max_hyperedges"),
    ({"eps_values": [0.1], "weights": [1, -1, 1]}, ValueError, "weights"),
])
def test_invalid_arguments_are_named(kwargs, error, words):
    X, y = datasets.triangle()
    with pytest.raises(error, match=words):
        risk_path(X, y, **kwargs)
