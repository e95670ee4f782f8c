"""The conflict hypergraph: KD-tree pairs, cliques, the triple formula, bounded memory."""
import itertools
import tracemalloc

import numpy as np
import pytest

from advot_teach import hypergraph as hypergraph_module
from advot_teach import optimal_adversarial_risk
from advot_teach.paths import risk_path
from advot_teach.geometry import birth_radius, pairwise_distances, triangle_enclosing_ball, within
from advot_teach.hypergraph import HypergraphTooLarge, conflict_hypergraph


def _brute_force(X, codes, eps, norm, max_order):
    """Every multi-class set whose balls meet, by testing all subsets (independent route)."""
    found = {}
    for k in range(2, max_order + 1):
        for S in itertools.combinations(range(len(X)), k):
            if len(set(codes[list(S)])) < k:
                continue
            radius = birth_radius(X[list(S)][None], norm)[0][0]
            if within(radius, eps):
                found[tuple(sorted(S))] = radius
    return found


@pytest.mark.parametrize("norm, d", [(2, 2), (2, 3), (2, 6), (1, 2), (1, 3), (np.inf, 2), (np.inf, 4), (2, 1)])
def test_hyperedges_equal_brute_force_enumeration(norm, d):
    rng = np.random.default_rng(int(10 * d + (norm if np.isfinite(norm) else 9)))
    K, per = 4, 4
    X = rng.normal(size=(K * per, d)) / np.sqrt(d)  # similar spreads in every dimension
    codes = np.repeat(np.arange(K), per)
    eps = 0.7 if norm != 1 else 1.0
    hg = conflict_hypergraph(X, codes, eps, norm)
    got = {tuple(sorted(map(int, e))): r for k in hg.orders for e, r in zip(hg.edges[k], hg.birth[k])}
    expected = _brute_force(X, codes, eps, norm, K)
    assert len(expected) > 20 and max(map(len, expected)) >= 3  # the case has triples to find
    assert got.keys() == expected.keys()
    for S, radius in expected.items():
        assert got[S] == pytest.approx(radius, rel=1e-9, abs=1e-12)
    for k in hg.orders:  # each centre lies in all the balls of its hyperedge
        dist = np.linalg.norm(X[hg.edges[k]] - hg.centre[k][:, None, :], ord=norm, axis=2)
        assert np.all(within(dist, hg.birth[k][:, None]))


@pytest.mark.parametrize("norm", [1, 2, np.inf])
@pytest.mark.parametrize("d", [3, 12])  # KD-tree; blocks of distance rows (high dimension)
def test_pairs_equal_the_dense_distance_matrix(norm, d):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, d))
    codes = rng.integers(0, 3, size=300)
    D = pairwise_distances(X, X, norm)
    eps = np.quantile(D[codes[:, None] != codes[None, :]], 0.02) / 2  # about 2 % of the pairs conflict
    tree = conflict_hypergraph(X, codes, eps, norm, 2)
    dense = conflict_hypergraph(X, codes, eps, norm, 2, distances=D)
    i, j = np.nonzero(np.triu((D <= 2 * eps) & (codes[:, None] != codes[None, :]), 1))
    assert len(tree.edges[2]) == len(i) > 100
    np.testing.assert_array_equal(tree.edges[2], dense.edges[2])
    np.testing.assert_allclose(tree.birth[2], dense.birth[2], rtol=1e-12)
    assert np.all(codes[tree.edges[2][:, 0]] < codes[tree.edges[2][:, 1]])


def test_exact_breakpoints_are_kept():
    # Side-1 equilateral triangle: the pairs are born at 1/2, the triple at 1/sqrt(3).
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    codes = np.arange(3)
    assert len(conflict_hypergraph(X, codes, 0.5).edges[2]) == 3
    assert 3 not in conflict_hypergraph(X, codes, 0.5).orders
    hg = conflict_hypergraph(X, codes, 1 / np.sqrt(3))
    assert hg.orders == [2, 3] and hg.birth[3][0] == pytest.approx(1 / np.sqrt(3), rel=1e-15)
    assert conflict_hypergraph(X, codes, np.inf).orders == [2, 3]


def test_memory_grows_with_the_conflicts_not_with_n_squared():
    # 30,000 points in 2-D with a few hundred conflicts: a dense n x n distance
    # matrix would take 7.2 GB, a boolean mask 900 MB.
    rng = np.random.default_rng(0)
    n = 30_000
    X = rng.uniform(0, 100, size=(n, 2))
    codes = rng.integers(0, 3, size=n)
    tracemalloc.start()
    try:
        hg = conflict_hypergraph(X, codes, 0.05)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 100 < len(hg.edges[2]) < 10_000
    assert peak < 30e6


@pytest.mark.parametrize("d", [1, 2, 3, 64])
def test_triangle_formula_equals_the_minimum_enclosing_ball(d):
    rng = np.random.default_rng(d)
    P = rng.normal(size=(500, 3, d))
    P[:50, 2] = P[:50, 0] + 0.5 * (P[:50, 1] - P[:50, 0])  # collinear
    P[50:60, 1] = P[50:60, 0]  # two coincident points
    side = lambda a, b: np.linalg.norm(P[:, a] - P[:, b], axis=1)  # noqa: E731
    radius, weights = triangle_enclosing_ball(side(0, 1), side(0, 2), side(1, 2))
    expected, _ = birth_radius(P, 2)
    np.testing.assert_allclose(radius, expected, rtol=1e-12, atol=1e-14)
    assert np.all(weights >= -1e-12) and np.allclose(weights.sum(axis=1), 1.0)
    centre = np.einsum("mi,mid->md", weights, P)
    reach = np.linalg.norm(P - centre[:, None, :], axis=2).max(axis=1)
    np.testing.assert_allclose(reach, radius, rtol=1e-9, atol=1e-12)


def test_triangle_formula_closed_forms():
    # Equilateral side 1: circumradius 1/sqrt(3); right triangle 3-4-5: half
    # the hypotenuse; obtuse: half the longest side, centre at its midpoint.
    radius, weights = triangle_enclosing_ball(np.array([1.0, 3.0, 2.0]), np.array([1.0, 4.0, 1.0]),
                                              np.array([1.0, 5.0, 1.2]))
    np.testing.assert_allclose(radius, [1 / np.sqrt(3), 2.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(weights[0], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(weights[2], [0.5, 0.5, 0.0])


def test_streamed_blocks_give_the_same_hypergraph(monkeypatch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 3))
    codes = np.repeat(np.arange(4), 15)
    whole = conflict_hypergraph(X, codes, 0.8)
    monkeypatch.setattr(hypergraph_module, "_CHUNK_CELLS", 7)
    monkeypatch.setattr(hypergraph_module, "_RADIUS_CELLS", 30)
    streamed = conflict_hypergraph(X, codes, 0.8)
    assert whole.orders == streamed.orders and 4 in whole.orders
    for k in whole.orders:
        np.testing.assert_array_equal(whole.edges[k], streamed.edges[k])
        np.testing.assert_array_equal(whole.birth[k], streamed.birth[k])


def test_hyperedge_cap_is_raisable_from_optimal_adversarial_risk(monkeypatch):
    rng = np.random.default_rng(2)
    X = rng.normal(scale=0.3, size=(60, 2))
    y = np.repeat(np.arange(3), 20)
    with pytest.raises(HypergraphTooLarge, match="max_order"):
        optimal_adversarial_risk(X, y, 1.0, max_hyperedges=100)
    # The module default is read at call time: lowering it takes effect ...
    monkeypatch.setattr(hypergraph_module, "DEFAULT_MAX_HYPEREDGES", 100)
    with pytest.raises(MemoryError, match="100 hyperedges"):
        optimal_adversarial_risk(X, y, 1.0)
    with pytest.raises(MemoryError, match="100 hyperedges"):
        risk_path(X, y, [1.0])
    # ... and an explicit cap overrides it; both routes agree.
    big = optimal_adversarial_risk(X, y, 1.0, max_hyperedges=100_000)
    assert big.risk == pytest.approx(risk_path(X, y, [1.0], max_hyperedges=100_000)[0], abs=1e-9)
    assert big.risk == pytest.approx(2 / 3, abs=0.05)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "many"])
def test_bad_hyperedge_cap_is_rejected(bad):
    with pytest.raises(ValueError, match="max_hyperedges"):
        optimal_adversarial_risk([[0.0], [1.0]], [0, 1], 0.1, max_hyperedges=bad)
