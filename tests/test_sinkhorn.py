"""Entropic lower bounds: always below the exact truncated LP, and close to it.

Ground truths: the exact barycenter LP of :mod:`advot_teach.risk` (R*_L with
the same ``max_order``), maximum matching for two classes, the four-circles
table of Garcia Trillos, Jacobs, Kim, Werenski 2024 and the closed
form R* = 1 - 1/K for K balanced classes inside one ball.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advot_teach
from advot_teach import datasets
from advot_teach.binary import binary_risk_matching
from advot_teach.hypergraph import conflict_hypergraph
from advot_teach.risk import optimal_adversarial_risk
from advot_teach.sinkhorn import sinkhorn_adversarial_risk, sinkhorn_risk_curve

# HiGHS solves the exact LP to about 1e-9; the rounded bound is exact arithmetic
# on a feasible point, so this is the only slack the comparisons need.
LP_TOL = 1e-8


def _random_problem(seed):
    rng = np.random.default_rng(seed)
    n_classes = int(rng.integers(2, 5))
    n = int(rng.integers(n_classes, 16))
    d = int(rng.integers(1, 4))
    X = rng.uniform(0, 2, (n, d))
    y = np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)])
    weights = rng.uniform(0.1, 1.0, n) if rng.random() < 0.5 else None
    norm = [2, np.inf, 1][int(rng.integers(0, 3))]
    eps = float(rng.uniform(0.05, 0.8))
    max_order = int(rng.integers(2, n_classes + 1))
    return X, y, weights, norm, eps, max_order


def _rounded_coverage(res, n):
    """sum_{e ni j} z_e over the rounded masses, shape (n,)."""
    cover = res.singleton_mass.copy()
    offset = 0
    for k in sorted(res.edges):
        E = res.edges[k]
        np.add.at(cover, E.ravel(), np.repeat(res.mass[offset:offset + len(E)], k))
        offset += len(E)
    return cover


@pytest.mark.parametrize("seed", range(25))
def test_rounded_value_brackets_exact_truncated_lp(seed):
    X, y, weights, norm, eps, max_order = _random_problem(seed)
    exact = optimal_adversarial_risk(X, y, eps, norm=norm, weights=weights, max_order=max_order).risk
    res = sinkhorn_adversarial_risk(X, y, eps, norm=norm, weights=weights, max_order=max_order, reg=0.05)
    assert 0.0 <= res.risk <= exact + LP_TOL
    assert exact <= res.dual_bound + LP_TOL
    # The rounded barycenter is exactly feasible: every point covered once.
    w = res.weights
    np.testing.assert_allclose(_rounded_coverage(res, len(X)), w, rtol=0, atol=1e-12)
    assert np.all(res.mass >= 0) and np.all(res.singleton_mass >= 0)
    assert res.risk == pytest.approx(1 - res.barycenter_mass, abs=1e-12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    reg=st.sampled_from([1.0, 0.1, 0.01, 1e-3]),
    max_iter=st.integers(1, 40),
)
def test_lower_bound_for_any_reg_and_any_number_of_sweeps(seed, reg, max_iter):
    # Validity must not depend on convergence: stop after very few sweeps.
    X, y, weights, norm, eps, max_order = _random_problem(seed)
    exact = optimal_adversarial_risk(X, y, eps, norm=norm, weights=weights, max_order=max_order).risk
    res = sinkhorn_adversarial_risk(X, y, eps, norm=norm, weights=weights, max_order=max_order, reg=reg,
                                    max_iter=max_iter)
    assert res.n_iter <= max_iter
    assert 0.0 <= res.risk <= exact + LP_TOL <= res.dual_bound + 2 * LP_TOL


def test_gap_shrinks_as_reg_decreases():
    X, y = datasets.three_blobs(15, seed=1)
    exact = optimal_adversarial_risk(X, y, 0.5, max_order=2).risk
    regs = [0.2, 0.1, 0.05, 0.02, 0.01, 0.005]
    gaps = np.array([exact - sinkhorn_adversarial_risk(X, y, 0.5, reg=r, max_iter=5000, tol=1e-9).risk
                     for r in regs])
    assert exact > 0.2  # a problem with real conflicts
    assert np.all(gaps >= -LP_TOL)
    assert np.all(np.diff(gaps) <= 1e-4)  # monotone up to optimisation noise
    assert gaps[0] > 1e-2 > gaps[-1]
    assert gaps[-1] < 1e-3


def test_far_apart_data_gives_zero_without_nan_at_tiny_reg():
    rng = np.random.default_rng(0)
    X = 100.0 * np.arange(12)[:, None] + rng.uniform(-1, 1, (12, 1))
    y = np.arange(12) % 3
    res = sinkhorn_adversarial_risk(X, y, 1.0, reg=1e-4, max_order=3)
    assert res.risk == 0.0 and res.dual_bound == 0.0 and res.n_hyperedges == 0
    assert res.converged and res.n_iter < 20
    np.testing.assert_allclose(res.singleton_mass, 1 / 12, rtol=1e-12)
    for value in (res.risk_entropic, res.marginal_error, *res.potentials):
        assert np.isfinite(value)


def test_tiny_reg_with_conflicts_stays_finite_and_tight():
    X, y = datasets.binary_blobs(20, seed=3)
    exact = binary_risk_matching(X, y, 0.3).risk
    res = sinkhorn_adversarial_risk(X, y, 0.3, reg=1e-4, max_iter=3000)
    assert np.isfinite([res.risk, res.risk_entropic, res.dual_bound, res.marginal_error]).all()
    assert np.all(np.isfinite(res.potentials)) and np.all(np.isfinite(res.mass))
    assert exact - 1e-3 <= res.risk <= exact + LP_TOL


@pytest.mark.parametrize("eps", [0.1, 0.25, 0.5])
def test_binary_case_matches_maximum_matching(eps):
    # Two classes: pairs are all hyperedges, so R*_2 = R* = matching / n.
    X, y = datasets.binary_blobs(20, seed=0)
    exact = binary_risk_matching(X, y, eps).risk
    res = sinkhorn_adversarial_risk(X, y, eps, reg=0.005)
    assert exact - 5e-3 <= res.risk <= exact + LP_TOL
    assert exact <= res.dual_bound + LP_TOL


@pytest.mark.parametrize("n_classes", [2, 3, 4])
def test_balanced_classes_in_one_ball(n_classes):
    X, y = datasets.classes_in_one_ball(n_classes, 4, seed=1)
    res = sinkhorn_adversarial_risk(X, y, 1.0, max_order=None, reg=1e-3, max_iter=3000)
    assert res.max_order == n_classes
    assert 1 - 1 / n_classes - 1e-3 <= res.risk <= 1 - 1 / n_classes + LP_TOL
    # With pairs only, mass can merge at most two at a time: R*_2 = 1/2 here.
    pairs = sinkhorn_adversarial_risk(X, y, 1.0, max_order=2, reg=1e-3)
    assert 0.5 - 1e-3 <= pairs.risk <= 0.5 + LP_TOL


# Four classes on unit circles, R*_L for L = 2, 3 (Garcia Trillos, Jacobs, Kim, Werenski 2024).
FOUR_CIRCLES = {0.25: (0.3333, 0.3611), 0.5: (0.5, 0.5556), 1.0: (0.5, 0.6667)}


@pytest.mark.parametrize("eps", sorted(FOUR_CIRCLES))
def test_four_circles_truncated_values(eps):
    X, y = datasets.four_circles()
    for max_order, expected in zip((2, 3), FOUR_CIRCLES[eps]):
        res = sinkhorn_adversarial_risk(X, y, eps, max_order=max_order, reg=0.01)
        assert expected - 0.01 <= res.risk <= expected + 1e-4


def test_zero_weight_points_change_nothing():
    X, y = datasets.three_blobs(8, seed=2)
    w = np.ones(len(X))
    w[[0, 9, 23]] = 0.0
    kept = w > 0
    full = sinkhorn_adversarial_risk(X, y, 0.4, weights=w, reg=0.02)
    small = sinkhorn_adversarial_risk(X[kept], y[kept], 0.4, reg=0.02)
    assert full.risk == pytest.approx(small.risk, abs=1e-12)
    assert np.all(full.singleton_mass[~kept] == 0)
    assert all(not (set(e) & {0, 9, 23}) for e in full.hyperedges)


def test_result_fields_and_hyperedges_are_real_conflicts():
    X, y = datasets.three_blobs(10, seed=0)
    labels = np.array(["a", "b", "c"])[y]
    res = sinkhorn_adversarial_risk(X, labels, 0.5, max_order=3, reg=0.05)
    assert list(res.classes) == ["a", "b", "c"]
    assert res.reg == 0.05 and res.max_order == 3 and res.eps == 0.5 and res.norm == 2
    assert len(res.hyperedges) == len(res.mass) == res.n_hyperedges
    exact = set(optimal_adversarial_risk(X, y, 0.5, max_order=3).hyperedges)
    assert set(res.hyperedges) == exact
    assert all(len({y[i] for i in e}) == len(e) for e in res.hyperedges)


def test_top_level_export_max_order_one_and_one_class():
    X, y = datasets.triangle()
    assert advot_teach.sinkhorn_adversarial_risk is sinkhorn_adversarial_risk
    res = sinkhorn_adversarial_risk(X, y, 1.0, max_order=1)
    assert res.risk == 0.0 and res.n_hyperedges == 0
    one_class = sinkhorn_adversarial_risk(X, [5, 5, 5], 1.0)
    assert one_class.risk == 0.0 and one_class.converged


def test_scales_to_all_digits():
    # 1797 points in 64 dimensions, about 7700 conflicting pairs at this eps.
    X, y = datasets.digits()
    exact = optimal_adversarial_risk(X, y, 1.0, max_order=2).risk
    res = sinkhorn_adversarial_risk(X, y, 1.0, max_order=2)
    assert res.n_hyperedges > 5000
    assert exact - 0.01 <= res.risk <= exact + LP_TOL <= res.dual_bound + 2 * LP_TOL


def test_triangle_regimes():
    # JMLR 2023, section 5.2: R* = 0, 1/2, 2/3; the middle needs no triple.
    X, y = datasets.triangle()
    for eps, expected in [(0.4, 0.0), (0.55, 0.5), (0.6, 2 / 3)]:
        res = sinkhorn_adversarial_risk(X, y, eps, max_order=3, reg=1e-3)
        assert expected - 1e-3 <= res.risk <= expected + LP_TOL


def test_dual_bound_is_capped_at_the_trivial_ceiling(monkeypatch):
    # Triangle at eps = 0.6, pairs only: R*_2 = 1/2 = 1 - 1/L, while R* = 2/3.
    # A rough solve (reg = 0.2) gives a feasible dual worth more than 1/2;
    # the cap brings dual_bound down to 1/2, which still bounds R*_2 but not R*.
    X, y = datasets.triangle()
    capped = sinkhorn_adversarial_risk(X, y, 0.6, max_order=2, reg=0.2)
    curve = sinkhorn_risk_curve(X, y, [0.4, 0.6], max_order=2, reg=0.2)
    monkeypatch.setattr(advot_teach.sinkhorn, "_trivial_ceiling", lambda *args: 1.0)
    raw = sinkhorn_adversarial_risk(X, y, 0.6, max_order=2, reg=0.2)
    assert raw.dual_bound > 0.55
    assert capped.dual_bound == pytest.approx(0.5, abs=1e-12)
    assert optimal_adversarial_risk(X, y, 0.6, max_order=2).risk == pytest.approx(0.5, abs=LP_TOL)
    assert optimal_adversarial_risk(X, y, 0.6).risk == pytest.approx(2 / 3, abs=LP_TOL)
    assert curve.dual_bound[1] == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_trivial_ceiling_bounds_every_truncated_value(seed):
    X, y, weights, norm, eps, max_order = _random_problem(seed)
    res = optimal_adversarial_risk(X, y, eps, norm=norm, weights=weights, max_order=max_order)
    w = res.weights
    masses = np.bincount(res.codes, weights=w)
    ceiling = advot_teach.sinkhorn._trivial_ceiling(w, res.codes, max_order)
    assert ceiling == pytest.approx(min(1 - 1 / min(max_order, len(masses)), 1 - masses.max()))
    assert res.risk <= ceiling + LP_TOL
    # Unequal masses: one conflicting pair of mass 0.9 and 0.1 has R* = 0.1 = 1 - max_i m_i.
    pair = advot_teach.sinkhorn._trivial_ceiling(np.array([0.9, 0.1]), np.array([0, 1]), 2)
    assert pair == pytest.approx(0.1)


def test_curve_matches_pointwise_solves():
    X, y = datasets.three_blobs(10, seed=4)
    eps_values = [0.6, 0.0, 0.3]
    curve = sinkhorn_risk_curve(X, y, eps_values, norm="linf", reg=0.05)
    for i, eps in enumerate(eps_values):
        one = sinkhorn_adversarial_risk(X, y, eps, norm="linf", reg=0.05)
        assert curve.risk[i] == pytest.approx(one.risk, abs=1e-12)
        assert curve.dual_bound[i] == pytest.approx(one.dual_bound, abs=1e-12)
        assert curve.n_hyperedges[i] == one.n_hyperedges
    assert curve.risk[1] == 0.0
    hg = conflict_hypergraph(X, y, 0.6, np.inf, 2)
    assert curve.n_hyperedges[0] == hg.count()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"reg": 0.0}, ValueError, "reg"),
        ({"reg": -1.0}, ValueError, "reg"),
        ({"reg": np.nan}, ValueError, "reg"),
        ({"reg": np.inf}, ValueError, "reg"),
        ({"reg": "small"}, TypeError, "reg"),
        ({"reg": True}, TypeError, "reg"),
        ({"max_order": 0}, ValueError, "max_order"),
        ({"max_order": 2.5}, TypeError, "max_order"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"max_iter": 10.0}, TypeError, "max_iter"),
        ({"tol": -1e-3}, ValueError, "tol"),
        ({"norm": 3}, ValueError, "norm"),
        ({"weights": [1.0, -1.0, 1.0]}, ValueError, "weights"),
        ({"eps": -0.1}, ValueError, "eps"),
    ],
)
def test_bad_inputs(kwargs, error, match):
    X, y = datasets.triangle()
    args = {"eps": 0.5, **kwargs}
    eps = args.pop("eps")
    with pytest.raises(error, match=match):
        sinkhorn_adversarial_risk(X, y, eps, **args)


def test_bad_data():
    with pytest.raises(ValueError, match="X"):
        sinkhorn_adversarial_risk(np.zeros(3), [0, 1, 2], 0.5)
    with pytest.raises(ValueError, match="y"):
        sinkhorn_adversarial_risk(np.zeros((3, 2)), [0, 1], 0.5)
    with pytest.raises(ValueError, match="eps_values"):
        sinkhorn_risk_curve(np.zeros((3, 2)), [0, 1, 2], [0.1, -0.2])
