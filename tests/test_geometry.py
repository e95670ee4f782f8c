"""Birth radii: exact minimum enclosing balls and the Helly shortcuts."""
import itertools

import numpy as np
import pytest
from scipy.optimize import minimize

from advot_teach.geometry import birth_radius, parse_norm, within


def _direct_radius(P, norm):
    # Independent: minimise the largest distance directly.
    f = lambda z: np.max(np.linalg.norm(P - z, ord=norm, axis=1))
    starts = [P.mean(0)] + list(P)
    best = min((minimize(f, s, method="Nelder-Mead",
                         options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000}) for s in starts),
               key=lambda r: r.fun)
    return best.fun


@pytest.mark.parametrize("k, d", [(2, 2), (3, 2), (4, 2), (3, 3), (4, 3), (5, 3), (3, 5)])
def test_l2_minimum_enclosing_ball(k, d):
    rng = np.random.default_rng(10 * k + d)
    P = rng.normal(size=(20, k, d))
    radius, centre = birth_radius(P, 2)
    from scipy.optimize import nnls

    for i in range(20):
        dist = np.linalg.norm(P[i] - centre[i], axis=1)
        assert dist.max() == pytest.approx(radius[i], rel=1e-9)  # centre is a witness
        assert radius[i] <= _direct_radius(P[i], 2) * (1 + 1e-9)  # never worse than a generic optimiser
        # Optimality (KKT): the centre is a convex combination of the points
        # on the ball's boundary.
        active = P[i][dist >= radius[i] * (1 - 1e-9)]
        A = np.vstack([active.T, np.ones(len(active))])
        coef, residual = nnls(A, np.append(centre[i], 1.0))
        assert residual < 1e-8


def test_l2_obtuse_triangle_uses_longest_side():
    P = np.array([[[0.0, 0.0], [2.0, 0.0], [1.0, 0.1]]])
    radius, centre = birth_radius(P, 2)
    assert radius[0] == pytest.approx(1.0)
    np.testing.assert_allclose(centre[0], [1.0, 0.0])


def test_coincident_and_collinear_points():
    P = np.array([[[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]])
    radius, centre = birth_radius(P, 2)
    np.testing.assert_allclose(radius, [0.0, np.sqrt(2)])
    np.testing.assert_allclose(centre, [[1, 1], [1, 1]])


@pytest.mark.parametrize("norm, d", [(np.inf, 2), (np.inf, 4), (1, 2), (1, 1), (2, 1)])
def test_helly_norms_match_direct_minimisation(norm, d):
    rng = np.random.default_rng(3)
    P = rng.normal(size=(15, 3, d))
    radius, centre = birth_radius(P, norm)
    for i in range(15):
        dist = np.linalg.norm(P[i] - centre[i], ord=norm, axis=1)
        assert dist.max() <= radius[i] * (1 + 1e-12) + 1e-12
        pair_max = max(np.linalg.norm(a - b, ord=norm) for a, b in itertools.combinations(P[i], 2)) / 2
        assert radius[i] == pytest.approx(pair_max, rel=1e-12)


def test_l1_in_3d_solved_exactly():
    # No Helly shortcut in 3-D: the LP answer must match direct minimisation
    # and be at least half the largest pairwise distance.
    rng = np.random.default_rng(1)
    Q = rng.normal(size=(10, 4, 3))
    r, c = birth_radius(Q, 1)
    for i in range(10):
        assert np.abs(Q[i] - c[i]).sum(1).max() == pytest.approx(r[i], abs=1e-7)
        assert r[i] == pytest.approx(_direct_radius(Q[i], 1), rel=1e-4, abs=1e-6)
        half_pair = max(np.abs(a - b).sum() for a, b in itertools.combinations(Q[i], 2)) / 2
        assert r[i] >= half_pair - 1e-9


def test_parse_norm_and_tolerance():
    assert parse_norm("linf") == np.inf and parse_norm("L1") == 1 and parse_norm(2) == 2
    # exact breakpoint computed with round-off still counts
    assert within(0.1 + 0.2, 0.3)
    assert not within(0.3001, 0.3)
