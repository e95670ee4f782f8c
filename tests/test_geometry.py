"""Birth radii: exact minimum enclosing balls and the Helly shortcuts."""
import itertools

import numpy as np
import pytest
from scipy.optimize import minimize

from advot_teach.geometry import NORMS, birth_radius, get_norm, parse_norm, within


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


# --- The norm registry: every registered norm passes the same checks -------------------

@pytest.mark.parametrize("norm", list(NORMS.values()), ids=lambda n: n.name)
def test_every_registered_norm_is_consistent(norm):
    rng = np.random.default_rng(int(norm.p) if np.isfinite(norm.p) else 9)
    A, B = rng.normal(size=(7, 3)), rng.normal(size=(5, 3))
    # distance and lengths: numpy's vector norm of the same order
    expected = np.linalg.norm(A[:, None, :] - B[None, :, :], ord=norm.p, axis=2)
    np.testing.assert_allclose(norm.distances(A, B), expected, rtol=1e-12)
    np.testing.assert_allclose(norm.lengths(A), np.linalg.norm(A, ord=norm.p, axis=1), rtol=1e-12)
    assert get_norm(norm.name) is norm and parse_norm(norm.p) == norm.p
    # the drawn unit ball lies on the unit sphere
    np.testing.assert_allclose(np.linalg.norm(norm.unit_ball(), ord=norm.p, axis=1), 1.0, rtol=1e-12)
    # projection: into the ball, identity inside, and no point of the ball is closer
    delta = rng.normal(scale=2.0, size=(40, 3))
    p = norm.project(delta, 1.1)
    assert np.all(np.linalg.norm(p, ord=norm.p, axis=1) <= 1.1 * (1 + 1e-12))
    z = norm.random_in_ball(rng, (400, 3), 1.1)
    assert np.all(np.linalg.norm(z, ord=norm.p, axis=1) <= 1.1 * (1 + 1e-12))
    own = np.linalg.norm(delta - p, axis=1)
    others = np.linalg.norm(delta[:, None, :] - z[None, :, :], axis=2).min(axis=1)
    assert np.all(own <= others + 1e-12)
    small = delta / (2 * np.linalg.norm(delta, ord=norm.p, axis=1, keepdims=True))
    np.testing.assert_array_equal(norm.project(small, 1.1), small)
    # steepest ascent: a unit vector whose pairing with g is the dual norm of g
    g = rng.normal(size=(30, 3))
    u = norm.ascent(g)
    np.testing.assert_allclose(np.linalg.norm(u, ord=norm.p, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.einsum("id,id->i", g, u), np.linalg.norm(g, ord=norm.dual, axis=1),
                               rtol=1e-12)
    # Helly rule: where it claims pairwise suffices, a triple's radius is its largest half-distance
    for dim in (1, 2, 3):
        if norm.helly_pairwise(dim):
            P = rng.normal(size=(25, 3, dim))
            half = np.max([np.linalg.norm(P[:, i] - P[:, j], ord=norm.p, axis=1)
                           for i, j in itertools.combinations(range(3), 2)], axis=0) / 2
            np.testing.assert_allclose(norm.birth_radius(P)[0], half, rtol=1e-9)


def test_norm_spellings_are_one_decision():
    for spelling, value in [("2", 2.0), ("l2", 2.0), ("L2", 2.0), (2, 2.0), ("1", 1.0), ("l1", 1.0),
                            ("inf", np.inf), ("linf", np.inf), (np.inf, np.inf), (float("inf"), np.inf)]:
        assert parse_norm(spelling) == value
    for bad in ("l3", 3, 0.5, "two"):
        with pytest.raises(ValueError, match="norm"):
            parse_norm(bad)
    for bad in (None, [2], True):
        with pytest.raises(TypeError, match="norm"):
            parse_norm(bad)
