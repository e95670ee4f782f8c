"""Exact adversarial risk: published closed forms, second methods, brute force."""
import itertools

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.stats import norm as normal

from advot_teach import adversarial_risk_curve, optimal_adversarial_risk, risk_breakpoints
from advot_teach import datasets
from advot_teach.binary import binary_risk_matching, binary_risk_ot

SQRT3 = np.sqrt(3)


# --- Published ground truths (triangle: Garcia Trillos, Jacobs, Kim, JMLR 2023, section 5.2) ---

@pytest.mark.parametrize(
    "eps, expected",
    [(0.0, 0.0), (0.49, 0.0), (0.5, 0.5), (0.55, 0.5), (1 / SQRT3 - 1e-6, 0.5), (1 / SQRT3, 2 / 3), (0.9, 2 / 3)],
)
def test_equilateral_triangle_closed_form(eps, expected):
    # JMLR 2023, section 5.2: side 1, weights 1/3 each.
    X, y = datasets.triangle()
    assert optimal_adversarial_risk(X, y, eps).risk == pytest.approx(expected, abs=1e-9)


def test_triangle_middle_regime_needs_a_probabilistic_classifier():
    X, y = datasets.triangle()
    res = optimal_adversarial_risk(X, y, 0.52)
    np.testing.assert_allclose(res.q, [0.5, 0.5, 0.5], atol=1e-9)
    # The barycenter puts mass 1/6 on each edge midpoint.
    assert sorted(res.barycenter.members) == [(0, 1), (0, 2), (1, 2)]
    np.testing.assert_allclose(res.barycenter.mass, [1 / 6] * 3, atol=1e-9)
    mids = (X[[0, 0, 1]] + X[[1, 2, 2]]) / 2
    for atom in res.barycenter.support:
        assert np.min(np.linalg.norm(mids - atom, axis=1)) < 1e-9
    # Every deterministic classifier does worse: brute force over all labelings
    # of the relevant regions is equivalent to choosing a vertex of {0,1}^3
    # satisfying the pair constraints: at most one point per conflict pair.
    best_det = max(sum(qv) / 3 for qv in itertools.product([0, 1], repeat=3) if sum(qv) <= 1)
    assert 1 - best_det > res.risk + 0.1


@pytest.mark.parametrize("weights", [(0.5, 0.3, 0.2), (0.6, 0.3, 0.1), (0.2, 0.2, 0.6)])
def test_three_weighted_points_closed_form(weights):
    # JMLR 2023, section 5.2.  Middle regime (all pairs conflict, no triple):
    # if the heaviest weight w1 >= w2 + w3, B* = w1 (pair it with the others);
    # otherwise B* = (w1 + w2 + w3) / 2 = 1/2.  Beyond 1/sqrt(3): B* = max w.
    X, y, w = datasets.three_weighted_points(weights)
    ws = np.sort(w)[::-1]
    b_mid = ws[0] if ws[0] >= ws[1] + ws[2] else 0.5
    assert optimal_adversarial_risk(X, y, 0.52, weights=w).risk == pytest.approx(1 - b_mid, abs=1e-9)
    assert optimal_adversarial_risk(X, y, 0.6, weights=w).risk == pytest.approx(1 - ws[0], abs=1e-9)
    assert optimal_adversarial_risk(X, y, 0.4, weights=w).risk == pytest.approx(0.0, abs=1e-12)


FOUR_CIRCLES = {  # R*_L for L = 2, 3, 4 (Garcia Trillos, Jacobs, Kim, Werenski 2024)
    0.25: (0.3333, 0.3611, 0.3611),
    0.5: (0.5, 0.5556, 0.5833),
    0.75: (0.5, 0.6667, 0.6667),
    1.0: (0.5, 0.6667, 0.75),
}


@pytest.mark.parametrize("eps", sorted(FOUR_CIRCLES))
def test_four_circles_truncated_table(eps):
    X, y = datasets.four_circles()
    got = [optimal_adversarial_risk(X, y, eps, max_order=L).risk for L in (2, 3, 4)]
    np.testing.assert_allclose(got, FOUR_CIRCLES[eps], atol=5e-5)
    # max_order=None is the full problem.
    assert optimal_adversarial_risk(X, y, eps).risk == pytest.approx(got[-1], abs=1e-9)


@pytest.mark.parametrize("K", [2, 3, 4, 5])
@pytest.mark.parametrize("dim", [2, 3, 10])
def test_classes_in_one_ball(K, dim):
    X, y = datasets.classes_in_one_ball(n_classes=K, n_per_class=3, dim=dim, seed=K + dim)
    res = optimal_adversarial_risk(X, y, 1.0)
    assert res.risk == pytest.approx(1 - 1 / K, abs=1e-9)


def test_gaussians_approach_population_value():
    # R*(eps) = Phi((eps - a)/s) for eps < a; an empirical sample approaches it.
    X, y = datasets.gaussians_1d(n_per_class=1500, a=1.0, s=1.0, seed=3)
    X_old, _ = datasets.gaussians_1d(n_per_class=1500, m=1.0, s=1.0, seed=3)  # the older keyword
    np.testing.assert_array_equal(X_old, X)
    eps = np.array([0.0, 0.25, 0.5, 0.75])
    emp = adversarial_risk_curve(X, y, eps)
    assert emp[0] == 0.0  # distinct sample points: nothing to merge at eps = 0
    np.testing.assert_allclose(emp[1:], normal.cdf(eps[1:] - 1.0), atol=0.03)


# --- Second methods ------------------------------------------------------------

def _random_problem(seed, K=3, n=24, dim=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim))
    y = np.arange(n) % K
    return X, y, rng


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("norm", [2, np.inf, 1])
def test_binary_lp_equals_matching_and_ot(seed, norm):
    X, y, rng = _random_problem(seed, K=2, n=40)
    for eps in (0.1, 0.3, 0.6):
        lp = optimal_adversarial_risk(X, y, eps, norm=norm).risk
        assert lp == pytest.approx(binary_risk_matching(X, y, eps, norm=norm).risk, abs=1e-9)
        assert lp == pytest.approx(binary_risk_ot(X, y, eps, norm=norm), abs=1e-9)
        w = rng.uniform(0.1, 1.0, len(X))
        assert optimal_adversarial_risk(X, y, eps, norm=norm, weights=w).risk == pytest.approx(
            binary_risk_ot(X, y, eps, norm=norm, weights=w), abs=1e-9)


def test_matching_pairs_are_conflicts():
    X, y, _ = _random_problem(1, K=2, n=30)
    m = binary_risk_matching(X, y, 0.4)
    assert len(set(m.pairs.ravel())) == 2 * len(m.pairs)
    assert np.all(y[m.pairs[:, 0]] != y[m.pairs[:, 1]])
    assert np.all(np.linalg.norm(X[m.pairs[:, 0]] - X[m.pairs[:, 1]], axis=1) <= 0.8 + 1e-9)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("K, dim", [(3, 2), (4, 3), (5, 2), (3, 10)])
def test_primal_mass_equals_dual_value(seed, K, dim):
    X, y, rng = _random_problem(seed, K=K, n=5 * K, dim=dim)
    w = rng.uniform(0.2, 1, len(X))
    res = optimal_adversarial_risk(X, y, 0.45 * np.sqrt(dim), weights=w)
    b = res.barycenter
    assert b.mass.sum() == pytest.approx(1 - res.risk, abs=1e-9)
    assert res.dual_value == pytest.approx(1 - res.risk, abs=1e-9)
    # primal feasibility: every point's weight is covered exactly once
    cover = np.zeros(len(X))
    for members, mass in zip(b.members, b.mass):
        cover[list(members)] += mass
    np.testing.assert_allclose(cover, res.weights, atol=1e-9)
    # dual feasibility
    assert np.all((res.q >= 0) & (res.q <= 1))
    for e in res.hyperedges:
        assert res.q[list(e)].sum() <= 1 + 1e-9
    # atoms sit in all their members' balls, and merge different classes
    for members, atom in zip(b.members, b.support):
        assert len({y[i] for i in members}) == len(members)
        assert np.all(np.linalg.norm(X[list(members)] - atom, axis=1) <= res.eps * (1 + 1e-9) + 1e-12)


def _brute_force_radii(X, y):
    """Birth radius of every multi-class subset, found by direct minimisation
    of the largest distance (Nelder-Mead from several starts) -- independent
    of the geometry module."""
    from scipy.optimize import minimize

    radii = {}
    for k in range(2, len(set(y)) + 1):
        for S in itertools.combinations(range(len(X)), k):
            if len({y[i] for i in S}) < k:
                continue
            P = X[list(S)]
            f = lambda z: np.max(np.linalg.norm(P - z, axis=1))
            radii[S] = min(minimize(f, s, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-11}).fun
                           for s in (P.mean(0), P[0]))
    return radii


def _brute_force_b_star(radii, n, w, eps):
    cols = [(j,) for j in range(n)] + [S for S, r in radii.items() if r <= eps + 1e-7]
    A = np.zeros((n, len(cols)))
    for c, S in enumerate(cols):
        A[list(S), c] = 1
    return linprog(np.ones(len(cols)), A_eq=A, b_eq=w, bounds=(0, None), method="highs").fun


@pytest.mark.parametrize("seed", range(3))
def test_against_brute_force_subsets(seed):
    X, y, rng = _random_problem(seed, K=3, n=9)
    w = rng.uniform(0.2, 1, 9)
    w /= w.sum()
    radii = _brute_force_radii(X, y)
    for eps in (0.3, 0.7, 1.2):
        assert optimal_adversarial_risk(X, y, eps, weights=w).risk == pytest.approx(
            1 - _brute_force_b_star(radii, 9, w, eps), abs=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_matching_route_equals_lp(seed):
    X, y, _ = _random_problem(seed, K=2, n=60)
    for eps in (0.1, 0.4):
        fast = optimal_adversarial_risk(X, y, eps, method="matching")
        lp = optimal_adversarial_risk(X, y, eps, method="lp")
        assert fast.risk == pytest.approx(lp.risk, abs=1e-9)
        assert fast.dual_value == pytest.approx(1 - fast.risk, abs=1e-12)
        for e in fast.hyperedges:  # the Kőnig cover gives a feasible dual
            assert fast.q[list(e)].sum() <= 1
        assert fast.barycenter.mass.sum() == pytest.approx(1 - fast.risk, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_double_cover_route_equals_lp(seed):
    """K > 2, max_order = 2, uniform weights: the half-integral matching route against the LP."""
    X, y, _ = _random_problem(seed, K=int(3 + seed % 3), n=50)
    for eps in (0.2, 0.5, 1.0):
        fast = optimal_adversarial_risk(X, y, eps, max_order=2)
        lp = optimal_adversarial_risk(X, y, eps, max_order=2, method="lp")
        assert fast.risk == pytest.approx(lp.risk, abs=1e-9)
        assert fast.dual_value == pytest.approx(1 - fast.risk, abs=1e-12)
        assert set(np.unique(fast.q)) <= {0.0, 0.5, 1.0}
        for e in fast.hyperedges:
            assert fast.q[list(e)].sum() <= 1
        # the atoms cover every point exactly once
        cover = np.zeros(len(X))
        for members, mass in zip(fast.barycenter.members, fast.barycenter.mass):
            cover[list(members)] += mass
        np.testing.assert_allclose(cover, 1 / len(X), atol=1e-15)
        assert fast.barycenter.mass.sum() == pytest.approx(1 - fast.risk, abs=1e-12)


# --- Structure -------------------------------------------------------------------

@pytest.mark.parametrize("norm", [2, np.inf, 1])
def test_monotone_in_eps_and_order(norm):
    X, y, _ = _random_problem(7, K=4, n=28)
    eps = np.linspace(0, 1.5, 13)
    curves = [adversarial_risk_curve(X, y, eps, norm=norm, max_order=L) for L in (2, 3, 4)]
    for c in curves:
        assert np.all(np.diff(c) >= -1e-12)
    assert np.all(curves[0] <= curves[1] + 1e-12) and np.all(curves[1] <= curves[2] + 1e-12)
    np.testing.assert_allclose(curves[2], [optimal_adversarial_risk(X, y, e, norm=norm).risk for e in eps], atol=1e-9)


def test_curve_keeps_input_order_and_duplicates():
    X, y, _ = _random_problem(2, K=3, n=21)
    eps = np.array([0.8, 0.1, 0.8, 0.0, 0.4])
    np.testing.assert_allclose(adversarial_risk_curve(X, y, eps),
                               [optimal_adversarial_risk(X, y, e).risk for e in eps], atol=1e-9)


def test_breakpoints_are_where_risk_jumps():
    X, y, _ = _random_problem(4, K=3, n=15)
    bps = risk_breakpoints(X, y, eps_max=1.0)
    assert np.all(np.diff(bps) > 0) and bps.max() <= 1.0
    # constant strictly between consecutive breakpoints
    grid = np.sort(np.concatenate([bps, (bps[:-1] + bps[1:]) / 2, bps[:-1] + 0.999 * np.diff(bps)]))
    values = dict(zip(grid, adversarial_risk_curve(X, y, grid)))
    for a, b in zip(bps[:-1], bps[1:]):
        assert values[(a + b) / 2] == pytest.approx(values[a], abs=1e-12)
        assert values[a + 0.999 * (b - a)] == pytest.approx(values[a], abs=1e-12)
    # any change happens at a breakpoint: R* just below the first one is 0
    assert optimal_adversarial_risk(X, y, bps[0] * (1 - 1e-6)).risk == 0.0


@pytest.mark.parametrize("norm", [np.inf, 1])
def test_breakpoints_for_boxes_are_half_distances(norm):
    X, y, _ = _random_problem(5, K=2, n=10)
    from scipy.spatial.distance import cdist

    D = cdist(X[y == 0], X[y == 1], "chebyshev" if norm == np.inf else "cityblock")
    np.testing.assert_allclose(risk_breakpoints(X, y, norm=norm), np.unique(D / 2), rtol=1e-9)


def test_string_labels_and_duplicate_points():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    y = np.array(["cat", "dog", "cat", "dog"])
    res = optimal_adversarial_risk(X, y, 0.0)
    assert list(res.classes) == ["cat", "dog"]
    assert res.risk == pytest.approx(0.5)  # each location holds one cat and one dog
    assert res.predict_proba(X).shape == (4, 2)


def test_one_class_has_zero_risk():
    X = np.random.default_rng(0).normal(size=(5, 3))
    res = optimal_adversarial_risk(X, np.zeros(5), 10.0)
    assert res.risk == 0.0 and np.all(res.q == 1)
    assert np.all(res.predict(X) == 0)


# --- The classifier as certificate ------------------------------------------------

def _sample_ball(rng, centre, eps, norm, n):
    d = len(centre)
    if norm == 2:
        u = rng.normal(size=(n, d))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        return centre + eps * u * rng.uniform(0, 1, (n, 1)) ** (1 / d)
    if norm == np.inf:
        return centre + rng.uniform(-eps, eps, (n, d))
    u = rng.exponential(size=(n, d)) * rng.choice([-1, 1], (n, d))
    return centre + eps * u / np.abs(u).sum(1, keepdims=True) * rng.uniform(0, 1, (n, 1)) ** (1 / d)


@pytest.mark.parametrize("norm", [2, np.inf, 1])
def test_classifier_certificate_in_every_ball(norm):
    X, y, rng = _random_problem(11, K=3, n=18)
    res = optimal_adversarial_risk(X, y, 0.5, norm=norm)
    for j in range(len(X)):
        Z = np.concatenate([_sample_ball(rng, X[j], 0.5, norm, 300), X[j][None]])
        proba = res.predict_proba(Z)
        np.testing.assert_allclose(proba.sum(1), 1.0, atol=1e-12)
        assert proba[:, res.codes[j]].min() >= res.q[j] - 1e-12


def test_grid_worst_case_reproduces_risk_on_tiny_data():
    # Worst case over a fine grid of each ball: the classifier's adversarial
    # risk matches R*; it cannot be lower (R* is optimal) and, by the
    # certificate, is not higher.
    X, y = datasets.triangle()
    for eps in (0.3, 0.52, 0.7):
        res = optimal_adversarial_risk(X, y, eps)
        t = np.linspace(-eps, eps, 161)
        G = np.stack(np.meshgrid(t, t), -1).reshape(-1, 2)
        G = G[np.linalg.norm(G, axis=1) <= eps]
        risk = 0.0
        for j in range(3):
            worst = 1 - res.predict_proba(X[j] + G)[:, j].min()
            risk += res.weights[j] * worst
        assert risk == pytest.approx(res.risk, abs=1e-9)


def test_truncated_classifier_rows_are_probabilities():
    X, y = datasets.four_circles()
    res = optimal_adversarial_risk(X, y, 1.0, max_order=2)
    assert not res.is_exact
    P = res.predict_proba(np.random.default_rng(0).uniform(-2, 2, (200, 2)))
    assert np.all(P >= 0) and np.allclose(P.sum(1), 1)
