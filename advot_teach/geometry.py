"""Geometry of eps-balls: norms, ball-intersection tests and birth radii.

The *birth radius* of a finite set of points S is the smallest eps at which
the closed eps-balls around the points of S share a point:

    r(S) = min_z max_{x in S} ||z - x||,

i.e. the radius of the smallest ball (of the same norm) containing S.  The
minimiser z is a common point of all the eps-balls for every eps >= r(S): this
is where an atom of the generalized barycenter sits.

* l2: r(S) is the radius of the minimum enclosing ball, computed exactly in
  any dimension as the smallest circumscribed ball of an affinely independent
  subset that encloses all of S.
* linf: boxes have Helly number 2, so r(S) = max pairwise linf distance / 2;
  z is the centre of the bounding box.
* l1 in the plane: (u, v) = (x1 + x2, x1 - x2) maps l1 isometrically onto linf,
  so the linf rule applies in rotated coordinates.  In 1-D all norms agree.
* l1 in d >= 3: no Helly shortcut; r(S) is the value of a small linear program.

Distances are compared with the tolerance :data:`TOL` (relative), so that
breakpoints hit exactly in symmetric examples (the side-1 equilateral
triangle at eps = 1/2) are counted as intersecting.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.optimize import linprog

__all__ = ["TOL", "parse_norm", "pairwise_distances", "birth_radius", "common_point", "within",
           "triangle_enclosing_ball"]

#: Relative tolerance for "distance <= eps" tests.  Floating-point round-off
#: in a squared distance is about 1e-16 relative; 1e-9 leaves a wide margin
#: while staying far below any geometric gap a course example has.
TOL = 1e-9

_NORM_NAMES = {"l1": 1, "l2": 2, "linf": np.inf, "inf": np.inf}


def parse_norm(norm) -> float:
    """Return the norm as 1, 2 or ``np.inf``.

    Accepts 1, 2, ``np.inf`` and the strings ``"l1"``, ``"l2"``, ``"linf"``.
    """
    if isinstance(norm, str):
        key = norm.strip().lower()
        if key in _NORM_NAMES:
            return float(_NORM_NAMES[key])
        raise ValueError(f"norm must be 1, 2, np.inf, 'l1', 'l2' or 'linf'; got {norm!r}")
    if isinstance(norm, (bool, np.bool_)) or not isinstance(norm, (int, float, np.integer, np.floating)):
        raise TypeError(f"norm must be 1, 2, np.inf or one of 'l1', 'l2', 'linf'; got {type(norm).__name__}")
    if norm in (1, 2) or norm == np.inf:
        return float(norm)
    raise ValueError(f"norm must be 1, 2, np.inf, 'l1', 'l2' or 'linf'; got {norm!r}")


def pairwise_distances(A: np.ndarray, B: np.ndarray, norm: float) -> np.ndarray:
    """Distances ``||a_i - b_j||`` for all pairs, shape (len(A), len(B))."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if norm == 2:
        # Expanded form is fast but loses precision for nearby points; the
        # direct form is exact enough for tolerance tests and still vectorised.
        if A.shape[0] * B.shape[0] * A.shape[1] <= 4e7:
            diff = A[:, None, :] - B[None, :, :]
            return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
        from scipy.spatial.distance import cdist

        return cdist(A, B)
    from scipy.spatial.distance import cdist

    return cdist(A, B, metric="cityblock" if norm == 1 else "chebyshev")


def _l1_as_linf(P: np.ndarray) -> np.ndarray:
    """Rotate planar points so that l1 distances become linf distances."""
    return np.stack([P[..., 0] + P[..., 1], P[..., 0] - P[..., 1]], axis=-1)


def _linf_from_l1_coords(U: np.ndarray) -> np.ndarray:
    return np.stack([(U[..., 0] + U[..., 1]) / 2, (U[..., 0] - U[..., 1]) / 2], axis=-1)


def _box_radius_center(P: np.ndarray):
    """linf birth radius and centre for a stack of point sets P (m, k, d)."""
    lo, hi = P.min(axis=1), P.max(axis=1)
    return (hi - lo).max(axis=1) / 2, (hi + lo) / 2


def _circumballs(P: np.ndarray, subset: tuple[int, ...]):
    """Circumscribed balls of P[:, subset] within their affine hull.

    Returns centres (m, d) and a mask of the sets where the subset is affinely
    independent (the centre is meaningless elsewhere).
    """
    base = P[:, subset[0], :]
    if len(subset) == 1:
        return base.copy(), np.ones(P.shape[0], dtype=bool)
    V = P[:, list(subset[1:]), :] - base[:, None, :]  # (m, j, d)
    G = np.einsum("mjd,mkd->mjk", V, V)  # Gram matrices (m, j, j)
    rhs = np.einsum("mjj->mj", G) / 2
    # Affine independence <=> Gram matrix well conditioned; compare the
    # determinant to the scale of the entries to stay scale free.
    scale = np.maximum(np.einsum("mjj->m", G), 1e-300) ** len(subset[1:])
    det = np.linalg.det(G)
    ok = np.abs(det) > 1e-12 * scale
    centres = base.copy()
    if ok.any():
        coef = np.linalg.solve(G[ok], rhs[ok][..., None])[..., 0]  # (m_ok, j)
        centres[ok] = base[ok] + np.einsum("mj,mjd->md", coef, V[ok])
    return centres, ok


def _l2_radius_center(P: np.ndarray):
    """Exact minimum enclosing l2 balls of a stack of point sets P (m, k, d)."""
    m, k, d = P.shape
    best_r = np.full(m, np.inf)
    best_c = np.zeros((m, d))
    # The minimum enclosing ball is the circumball of an affinely independent
    # support set of at most d + 1 points; among circumballs that enclose all
    # points it is the smallest.  (Size-1 subsets cover coincident points.)
    for size in range(1, min(k, d + 1) + 1):
        for subset in combinations(range(k), size):
            centres, ok = _circumballs(P, subset)
            dist = np.sqrt(((P - centres[:, None, :]) ** 2).sum(axis=2))  # (m, k)
            radius = dist[:, subset[0]]
            encloses = ok & (dist.max(axis=1) <= radius * (1 + TOL) + 1e-15)
            better = encloses & (radius < best_r)
            best_r[better] = radius[better]
            best_c[better] = centres[better]
    return best_r, best_c


def _l1_lp_radius_center(S: np.ndarray):
    """min_z max_i ||z - x_i||_1 as an LP (any dimension)."""
    k, d = S.shape
    # variables: z (d), t (k*d) with t >= |z - x_i| componentwise, r
    nz, nt = d, k * d
    c = np.zeros(nz + nt + 1)
    c[-1] = 1.0
    rows, rhs = [], []
    for i in range(k):
        for j in range(d):
            col = nz + i * d + j
            r1 = np.zeros(nz + nt + 1); r1[j] = 1; r1[col] = -1; rows.append(r1); rhs.append(S[i, j])
            r2 = np.zeros(nz + nt + 1); r2[j] = -1; r2[col] = -1; rows.append(r2); rhs.append(-S[i, j])
        r3 = np.zeros(nz + nt + 1); r3[nz + i * d: nz + (i + 1) * d] = 1; r3[-1] = -1
        rows.append(r3); rhs.append(0.0)
    bounds = [(None, None)] * nz + [(0, None)] * nt + [(0, None)]
    res = linprog(c, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=bounds, method="highs")
    if res.status != 0:  # pragma: no cover - a feasible bounded LP
        raise RuntimeError(f"l1 enclosing-ball LP failed: {res.message}")
    return res.x[-1], res.x[:d]


def birth_radius(P: np.ndarray, norm: float = 2):
    """Birth radius and a common point for a stack of point sets.

    Parameters
    ----------
    P : ndarray, shape (m, k, d)
        ``m`` sets of ``k`` points each.
    norm : {1, 2, np.inf}

    Returns
    -------
    radius : ndarray, shape (m,)
        Smallest eps at which the k closed eps-balls of each set intersect.
    centre : ndarray, shape (m, d)
        A point in all k balls of radius ``radius`` (hence of any larger eps).
    """
    P = np.asarray(P, dtype=float)
    if P.ndim != 3:
        raise ValueError(f"P must have shape (m, k, d); got {P.shape}")
    m, k, d = P.shape
    if norm == np.inf or d == 1:
        return _box_radius_center(P)
    if norm == 1 and d == 2:
        radius, centre_uv = _box_radius_center(_l1_as_linf(P))
        return radius, _linf_from_l1_coords(centre_uv)
    if norm == 1:
        out_r, out_c = np.zeros(m), np.zeros((m, d))
        for i in range(m):
            out_r[i], out_c[i] = _l1_lp_radius_center(P[i])
        return out_r, out_c
    return _l2_radius_center(P)


def common_point(points: np.ndarray, norm: float = 2) -> np.ndarray:
    """A point shared by the smallest balls around ``points`` (k, d)."""
    return birth_radius(np.asarray(points, dtype=float)[None], norm)[1][0]


def within(distance, eps) -> np.ndarray:
    """``distance <= eps`` up to the relative tolerance :data:`TOL`."""
    return np.asarray(distance) <= eps * (1 + TOL) + 1e-12


def triangle_enclosing_ball(d01, d02, d12):
    """l2 minimum enclosing balls of triangles, from their three side lengths.

    The smallest ball holding three points is the circumscribed ball when the
    triangle is acute, and the ball on the longest side as diameter when it is
    right or obtuse (that ball already holds the third point).  Both follow
    from the side lengths alone, in any dimension, which makes the test of a
    triple cost O(1) instead of O(d).

    Parameters
    ----------
    d01, d02, d12 : ndarray, shape (m,)
        l2 distances between points 0 and 1, 0 and 2, 1 and 2 of each triangle.

    Returns
    -------
    radius : ndarray, shape (m,)
        The birth radius of each triple.
    weights : ndarray, shape (m, 3)
        Barycentric coordinates of the centre: ``centre = weights @ points``
        (nonnegative, summing to 1).
    """
    sides = np.stack(np.broadcast_arrays(*map(np.asarray, (d12, d02, d01))), axis=1).astype(float)
    sq = sides**2  # sq[:, i] is the squared side opposite vertex i
    # Barycentric coordinates of the circumcentre: a_i^2 (a_j^2 + a_k^2 - a_i^2).
    excess = sq.sum(axis=1, keepdims=True) - 2 * sq  # a_j^2 + a_k^2 - a_i^2
    longest = np.argmax(sides, axis=1)
    rows = np.arange(len(sides))
    # Right or obtuse (and degenerate) triangles: the angle at the vertex
    # opposite the longest side is >= 90 degrees.
    blunt = excess[rows, longest] <= 0
    # Kahan's stable form of Heron's formula, sides sorted a >= b >= c.
    a, b, c = np.sort(sides, axis=1)[:, ::-1].T
    product = (a + (b + c)) * (c - (a - b)) * (c + (a - b)) * (a + (b - c))
    four_area = np.sqrt(np.maximum(product, 0.0))  # 4 * area
    with np.errstate(divide="ignore", invalid="ignore"):
        circum = a * b * c / four_area
        bary = sq * excess
        bary = bary / bary.sum(axis=1, keepdims=True)
    radius = np.where(blunt, sides[rows, longest] / 2, circum)
    # Ball on the longest side: the midpoint of the two other vertices.
    mid = np.full((len(sides), 3), 0.5)
    mid[rows, longest] = 0.0
    weights = np.where(blunt[:, None], mid, bary)
    return radius, weights
