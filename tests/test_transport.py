"""Tests for advot_teach.transport against brute force and closed forms."""
from itertools import permutations

import numpy as np
import pytest

from advot_teach.transport import (
    cost_matrix,
    eps_cost,
    eps_coupling,
    eps_couplings,
    w_inf,
    w_inf_1d,
    wasserstein,
    within_w_inf_ball,
)

NORMS = [1, 2, np.inf]


def _distances(X, Y, norm):
    diff = X[:, None, :] - Y[None, :, :]
    return np.linalg.norm(diff, ord=norm, axis=2)


def _check_coupling(plan, a, b):
    assert np.all(plan >= -1e-12)
    np.testing.assert_allclose(plan.sum(axis=1), a, atol=1e-9)
    np.testing.assert_allclose(plan.sum(axis=0), b, atol=1e-9)


# ------------------------------------------------------------------ cost matrix
@pytest.mark.parametrize("norm", NORMS)
def test_cost_matrix_matches_numpy_norms(norm):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(6, 3))
    np.testing.assert_allclose(cost_matrix(X, Y, norm=norm, p=3), _distances(X, Y, norm) ** 3, rtol=1e-12)


def test_cost_matrix_reads_1d_arrays_as_points_on_the_line():
    np.testing.assert_allclose(cost_matrix([0.0, 2.0], [1.0, 5.0, -1.0]), [[1, 5, 1], [1, 3, 3]])


# ---------------------------------------------------------- brute force: W_p
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_wasserstein_equals_best_permutation_for_uniform_data(seed, norm, p):
    # Birkhoff: for n vs n uniform atoms some optimal coupling is a permutation.
    rng = np.random.default_rng(seed)
    n = 5
    X, Y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
    D = _distances(X, Y, norm)
    best = min(np.mean(D[np.arange(n), list(perm)] ** p) for perm in permutations(range(n)))
    result = wasserstein(X=X, Y=Y, p=p, norm=norm)
    assert result.cost == pytest.approx(best, rel=1e-10)
    assert result.value == pytest.approx(best ** (1 / p), rel=1e-10)
    _check_coupling(result.plan, np.full(n, 1 / n), np.full(n, 1 / n))


def test_wasserstein_from_cost_matrix_agrees_with_points():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(7, 2))
    a, b = rng.random(5), rng.random(7)
    from_points = wasserstein(a, b, X=X, Y=Y, p=2)
    from_matrix = wasserstein(a, b, cost_matrix(X, Y, p=2), p=2)
    assert from_points.value == pytest.approx(from_matrix.value, rel=1e-12)
    _check_coupling(from_points.plan, a / a.sum(), b / b.sum())


@pytest.mark.parametrize("p", [1, 2, 4])
def test_translation_moves_every_measure_by_the_shift_length(p):
    # W_p(mu, mu + v) = |v| for every p: the translation coupling is optimal
    # (W_p >= W_1 >= |mean shift| = |v|).
    rng = np.random.default_rng(7)
    X, a = rng.normal(size=(6, 2)), rng.random(6)
    v = np.array([0.3, -0.4])
    assert wasserstein(a, a, X=X, Y=X + v, p=p).value == pytest.approx(0.5, rel=1e-9)
    assert w_inf(X, X + v, a, a).value == pytest.approx(0.5, rel=1e-9)


def test_w1_on_the_line_is_the_area_between_the_cdfs():
    rng = np.random.default_rng(11)
    x, y = rng.normal(size=8), rng.normal(1.0, 2.0, size=8)
    # uniform, equal sizes: monotone matching, W1 = mean |x_(k) - y_(k)|
    assert wasserstein(X=x, Y=y, p=1).value == pytest.approx(np.mean(np.abs(np.sort(x) - np.sort(y))), rel=1e-10)


# ------------------------------------------------------- brute force: W_inf
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("norm", NORMS)
def test_w_inf_equals_bottleneck_permutation_for_uniform_data(seed, norm):
    rng = np.random.default_rng(100 + seed)
    n = 5
    X, Y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
    D = _distances(X, Y, norm)
    best = min(np.max(D[np.arange(n), list(perm)]) for perm in permutations(range(n)))
    result = w_inf(X, Y, norm=norm)
    assert result.value == pytest.approx(best, rel=1e-12)
    _check_coupling(result.plan, np.full(n, 1 / n), np.full(n, 1 / n))
    # the plan really achieves the value: no mass moves farther
    assert result.cost == pytest.approx(best, rel=1e-12)
    assert D[result.plan > 1e-9].max() <= best * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_w_inf_1d_quantile_formula_matches_bottleneck_with_weights(seed):
    rng = np.random.default_rng(200 + seed)
    n, m = rng.integers(2, 9, size=2)
    x, y = rng.normal(size=n), rng.normal(0.5, 1.5, size=m)
    a, b = rng.random(n), rng.random(m)
    if seed % 2:  # atoms without mass must be ignored by both methods
        a[0] = 0.0
        b[-1] = 0.0
    by_quantiles = w_inf_1d(x, y, a, b)
    by_bottleneck = w_inf(x, y, a, b)
    assert by_quantiles == pytest.approx(by_bottleneck.value, rel=1e-12)
    _check_coupling(by_bottleneck.plan, a / a.sum(), b / b.sum())


def test_w_inf_1d_uniform_equal_size_is_largest_sorted_gap():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=9), rng.normal(size=9)
    assert w_inf_1d(x, y) == pytest.approx(np.max(np.abs(np.sort(x) - np.sort(y))), rel=1e-14)


def test_w_inf_1d_handles_cumulative_round_off():
    # 1/3 + 1/3 vs 2/3 and 0.1 + 0.2 vs 0.3 must not create slivers of levels
    assert w_inf_1d([0.0, 1.0, 2.0], [0.0, 1.0, 2.0]) == 0.0
    assert w_inf_1d([0.0, 1.0, 2.0], [0.0, 1.0, 2.0], [0.1, 0.2, 0.7], [0.3, 0.0, 0.7]) == 1.0


def test_w_inf_of_two_diracs_is_their_distance_and_w_inf_bounds_w_p():
    assert w_inf([[0.0, 0.0]], [[3.0, 4.0]]).value == pytest.approx(5.0)
    rng = np.random.default_rng(9)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(4, 2))
    a, b = rng.random(6), rng.random(4)
    values = [wasserstein(a, b, X=X, Y=Y, p=p).value for p in (1, 2, 3, 8)] + [w_inf(X, Y, a, b).value]
    # W_p is nondecreasing in p for probability measures (Jensen) and W_inf bounds all
    assert all(u <= v * (1 + 1e-9) for u, v in zip(values, values[1:]))


# ------------------------------------------------- eps-cost and the W_inf ball
def test_eps_cost_is_the_distance_threshold():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(4, 2))
    D = _distances(X, Y, 2)
    np.testing.assert_array_equal(eps_cost(X, Y, 0.8), D <= 0.8)
    assert eps_cost(X, Y, 0.8).dtype == bool


@pytest.mark.parametrize("seed", range(3))
def test_ball_membership_is_monotone_and_switches_at_w_inf(seed):
    rng = np.random.default_rng(300 + seed)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(5, 2))
    a, b = rng.random(6), rng.random(5)
    radius = w_inf(X, Y, a, b).value
    eps_grid = np.linspace(0, 2 * radius, 41)
    inside = [within_w_inf_ball(X, Y, e, a, b) for e in eps_grid]
    assert inside == sorted(inside)  # False ... False True ... True
    assert within_w_inf_ball(X, Y, radius, a, b)
    assert not within_w_inf_ball(X, Y, radius * (1 - 1e-6), a, b)
    plan = eps_coupling(X, Y, radius, a, b)
    _check_coupling(plan, a / a.sum(), b / b.sum())
    assert np.all(plan[~eps_cost(X, Y, radius)] <= 1e-12)
    assert eps_coupling(X, Y, radius * 0.99, a, b) is None


def test_perturbing_each_point_by_at_most_eps_stays_in_the_ball():
    # The adversary's budget: moving every point by <= eps gives W_inf <= eps.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2))
    step = rng.normal(size=(30, 2))
    step *= 0.25 / np.linalg.norm(step, axis=1, keepdims=True) * rng.random((30, 1))
    assert within_w_inf_ball(X, X + step, 0.25)
    assert w_inf(X, X + step).value <= 0.25 * (1 + 1e-9)


def test_exact_ties_count_as_inside():
    # 0.1 + 0.2 = 0.30000000000000004 > 0.3 in floating point
    assert within_w_inf_ball([[0.0]], [[0.1 + 0.2]], 0.3)
    assert eps_cost([0.0], [0.1 + 0.2], 0.3)[0, 0]
    # Two moves of length 0.3 that round to 0.30000000000000004 (1.0 - 0.7)
    # and 0.3 exactly: one tie group, W_inf = 0.3 and the 0.3-ball admits it.
    X = np.array([[0.0, 0.0], [0.7, 0.0]])
    Y = np.array([[0.3, 0.0], [1.0, 0.0]])
    assert cost_matrix(X, Y)[1, 1] > 0.3  # the round-off is really there
    result = w_inf(X, Y)
    assert result.value == pytest.approx(0.3, rel=1e-12)
    assert within_w_inf_ball(X, Y, 0.3)
    assert not within_w_inf_ball(X, Y, 0.3 - 1e-6)
    # A unit square shifted by one side: many pairs at distance exactly 1 and
    # several optimal couplings; the relabelled square itself is at distance 0.
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    assert w_inf(square, square[[1, 2, 3, 0]]).value == 0.0
    assert w_inf(square, square + np.array([1.0, 0.0])).value == pytest.approx(1.0, rel=1e-12)
    assert within_w_inf_ball(square, square + np.array([1.0, 0.0]), 1.0)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: cost_matrix(np.zeros((2, 2)), np.zeros((2, 3))), ValueError, "same dimension"),
        (lambda: cost_matrix([[0.0]], [[1.0]], norm=3), ValueError, "norm"),
        (lambda: cost_matrix([[0.0]], [[1.0]], p=0.5), ValueError, "p must"),
        (lambda: wasserstein(X=[0.0], Y=[1.0], p=np.inf), ValueError, "w_inf"),
        (lambda: wasserstein([1.0], [1.0]), ValueError, "either the cost matrix"),
        (lambda: wasserstein(M=[[0.0, np.inf]]), ValueError, "finite"),
        (lambda: wasserstein(M=[[0.0]], X=[0.0], Y=[0.0]), ValueError, "not both"),
        (lambda: w_inf([0.0, 1.0], [1.0], a=[1.0]), ValueError, r"a must have shape \(2,\)"),
        (lambda: w_inf([0.0, 1.0], [1.0], a=[1.0, -1.0]), ValueError, "a must be nonnegative"),
        (lambda: w_inf([0.0, 1.0], [1.0], a=[0.0, 0.0]), ValueError, "positive sum"),
        (lambda: w_inf(np.zeros((0, 2)), np.zeros((1, 2))), ValueError, "X must hold at least one point"),
        (lambda: w_inf([[np.nan]], [[0.0]]), ValueError, "finite"),
        (lambda: w_inf_1d(np.zeros((2, 2)), [0.0]), ValueError, "1-D"),
        (lambda: eps_cost([0.0], [1.0], -0.1), ValueError, "eps"),
        (lambda: within_w_inf_ball([0.0], [1.0], "1"), TypeError, "eps"),
        (lambda: cost_matrix([["a"]], [[0.0]]), TypeError, "X must be"),
    ],
)
def test_validation_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("norm", NORMS)
def test_eps_couplings_step_function_matches_a_fresh_transport_per_eps(norm):
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(7, 2)), rng.normal(size=(9, 2)) + [0.8, 0.0]
    a, b = rng.random(7) + 0.1, rng.random(9) + 0.1
    couplings = eps_couplings(X, Y, a, b, norm)
    assert couplings.w_inf == pytest.approx(w_inf(X, Y, a, b, norm).value, abs=1e-12)
    eps_max = 1.3 * couplings.w_inf
    curve_eps, unmatched = couplings.curve(eps_max)
    D = _distances(X, Y, norm)
    for eps in np.concatenate([np.linspace(0, eps_max, 17), np.unique(D[D <= eps_max])]):
        # independent: the 0/1-cost transport solved afresh at this eps
        forbidden = (D > eps * (1 + 1e-9) + 1e-12).astype(float)
        expected = wasserstein(a, b, M=forbidden).cost
        i = np.searchsorted(curve_eps, eps * (1 + 1e-9) + 1e-12, side="right") - 1
        assert unmatched[i] == pytest.approx(expected, abs=1e-9)
        plan, feasible, moved = couplings.coupling(eps)
        assert feasible == (eps >= couplings.w_inf * (1 - 1e-9))
        assert moved == pytest.approx(expected, abs=1e-9)
        _check_coupling(plan, a / a.sum(), b / b.sum())
