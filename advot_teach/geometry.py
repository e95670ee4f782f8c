"""Geometry of eps-balls: one object per norm, ball-intersection tests, birth radii.

Every threat norm of the package is a :class:`Norm` in the registry
:data:`NORMS` (keyed by 1, 2 and ``np.inf``, the values results carry as
``norm``).  A norm knows its distance, its dual norm, its ball test
(:func:`within`), its Helly rule (do pairwise conflicts suffice?), its
*birth radius* (below), its unit ball for drawing, the projection onto its
ball and its steepest-ascent direction for the attacks.  Adding a norm is
one subclass here plus its tests.

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

Distances are compared with one tolerance rule, :func:`alive` (relative
:data:`TOL` plus 1e-12), so that breakpoints hit exactly in symmetric
examples (the side-1 equilateral triangle at eps = 1/2) count as
intersecting.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.optimize import linprog

__all__ = ["TOL", "Norm", "NORMS", "get_norm", "parse_norm", "pairwise_distances", "birth_radius",
           "common_point", "alive", "within", "triangle_enclosing_ball"]

#: Relative tolerance for "distance <= eps" tests.  Floating-point round-off
#: in a squared distance is about 1e-16 relative; 1e-9 leaves a wide margin
#: while staying far below any geometric gap a course example has.
TOL = 1e-9



def alive(eps):
    """The largest distance (or birth radius) counted as ``<= eps``.

    ``eps * (1 + TOL) + 1e-12``: the package's one tolerance rule.  A
    hyperedge with birth radius r is alive at eps iff ``r <= alive(eps)``;
    sorted radii give the alive prefix by ``searchsorted(radii, alive(eps),
    side="right")``, exactly as :func:`within` decides one by one.

    Examples
    --------
    >>> bool(0.5 + 1e-13 <= alive(0.5)), bool(0.5001 <= alive(0.5))
    (True, False)
    """
    return eps * (1 + TOL) + 1e-12


def within(distance, eps) -> np.ndarray:
    """``distance <= eps`` up to the tolerance of :func:`alive`."""
    return np.asarray(distance) <= alive(eps)


class Norm:
    """A threat norm: what the solvers, the plots and the attacks need of it.

    Attributes
    ----------
    p : float
        1, 2 or ``np.inf``: the key in :data:`NORMS` and the ``norm`` value
        results carry.
    name : str
        ``"l1"``, ``"l2"`` or ``"linf"``.
    dual : float
        p of the dual norm (``||g||_* = max_{||u|| <= 1} <g, u>``).
    """

    p: float
    name: str
    dual: float

    def __repr__(self):
        return f"Norm({self.name})"

    def distances(self, A, B) -> np.ndarray:
        """``||a_i - b_j||`` for all pairs, shape (len(A), len(B))."""
        from scipy.spatial.distance import cdist

        return cdist(np.asarray(A, dtype=float), np.asarray(B, dtype=float), metric=self._metric)

    def lengths(self, D) -> np.ndarray:
        """``||D[i]||`` row by row, shape (n,)."""
        return np.linalg.norm(D, ord=self.p, axis=1)

    def helly_pairwise(self, dim) -> bool:
        """Do pairwise intersecting balls always share a point in R^dim?"""
        return dim == 1

    def birth_radius(self, P):
        """Birth radii and common points of a stack of point sets P (m, k, d)."""
        raise NotImplementedError

    def unit_ball(self) -> np.ndarray:
        """Vertices of the boundary of the planar unit ball, shape (v, 2)."""
        raise NotImplementedError

    def project(self, delta, eps) -> np.ndarray:
        """Euclidean projection of each row of ``delta`` (n, d) onto ``||.|| <= eps``."""
        raise NotImplementedError

    def ascent(self, grad) -> np.ndarray:
        """Steepest-ascent unit directions: argmax of <g, u> over ``||u|| <= 1``, row by row.

        Its value is the dual norm of g; a zero gradient gives 0.
        """
        raise NotImplementedError

    def random_in_ball(self, rng, shape, eps) -> np.ndarray:
        """Points drawn uniformly from the eps-ball around 0, shape (n, d)."""
        raise NotImplementedError


class L2(Norm):
    p, name, dual, _metric = 2.0, "l2", 2.0, "euclidean"
    _CIRCLE_VERTICES = 36  # vertices used to draw a circle

    def distances(self, A, B):
        A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
        # The expanded form |a|^2 - 2ab + |b|^2 is fast but loses precision
        # for nearby points; the direct form is exact enough for the
        # tolerance tests and still vectorised.
        if A.shape[0] * B.shape[0] * A.shape[1] <= 4e7:
            diff = A[:, None, :] - B[None, :, :]
            return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
        return super().distances(A, B)

    def birth_radius(self, P):
        return _l2_radius_center(P) if P.shape[2] > 1 else _box_radius_center(P)

    def unit_ball(self):
        angles = np.linspace(0, 2 * np.pi, self._CIRCLE_VERTICES, endpoint=False)
        return np.stack([np.cos(angles), np.sin(angles)], axis=1)

    def project(self, delta, eps):
        lengths = np.linalg.norm(delta, axis=-1, keepdims=True)
        return delta * np.where(lengths > eps, eps / np.where(lengths > 0, lengths, 1.0), 1.0)

    def ascent(self, grad):
        lengths = np.linalg.norm(grad, axis=1, keepdims=True)
        return np.divide(grad, lengths, out=np.zeros_like(grad), where=lengths > 0)

    def random_in_ball(self, rng, shape, eps):
        n, d = shape
        # uniform direction, radius eps * U^(1/d)
        direction = rng.standard_normal(shape)
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        return direction * (eps * rng.uniform(size=(n, 1)) ** (1.0 / d))


class Linf(Norm):
    p, name, dual, _metric = np.inf, "linf", 1.0, "chebyshev"

    def helly_pairwise(self, dim):
        return True  # boxes: Helly number 2 in every dimension

    def birth_radius(self, P):
        return _box_radius_center(P)

    def unit_ball(self):
        return np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])

    def project(self, delta, eps):
        return np.clip(delta, -eps, eps)

    def ascent(self, grad):
        return np.sign(grad)

    def random_in_ball(self, rng, shape, eps):
        return rng.uniform(-eps, eps, size=shape)


class L1(Norm):
    p, name, dual, _metric = 1.0, "l1", np.inf, "cityblock"

    def helly_pairwise(self, dim):
        return dim <= 2  # the plane: l1 is linf in rotated coordinates

    def birth_radius(self, P):
        m, k, d = P.shape
        if d == 1:
            return _box_radius_center(P)
        if d == 2:
            radius, centre_uv = _box_radius_center(_l1_as_linf(P))
            return radius, _linf_from_l1_coords(centre_uv)
        out_r, out_c = np.zeros(m), np.zeros((m, d))
        for i in range(m):
            out_r[i], out_c[i] = _l1_lp_radius_center(P[i])
        return out_r, out_c

    def unit_ball(self):
        return np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])

    def project(self, delta, eps):
        # Duchi, Shalev-Shwartz, Singer, Chandra (ICML 2008): soft-threshold
        # |delta| at the theta that makes the l1 norm equal eps.
        delta = np.asarray(delta, dtype=float)
        flat = delta.reshape(-1, delta.shape[-1])
        a = np.abs(flat)
        outside = a.sum(axis=1) > eps
        out = flat.copy()
        if outside.any():
            u = -np.sort(-a[outside], axis=1)
            cums = np.cumsum(u, axis=1) - eps
            ranks = np.arange(1, u.shape[1] + 1)
            rho = np.count_nonzero(u * ranks > cums, axis=1)
            theta = cums[np.arange(len(u)), rho - 1] / rho
            out[outside] = np.sign(flat[outside]) * np.maximum(a[outside] - theta[:, None], 0.0)
        return out.reshape(delta.shape)

    def ascent(self, grad):
        # the unit vector along the largest |g_i| (value ||g||_inf)
        out = np.zeros_like(grad)
        i = np.argmax(np.abs(grad), axis=1)
        rows = np.arange(len(grad))
        out[rows, i] = np.sign(grad[rows, i])
        return out

    def random_in_ball(self, rng, shape, eps):
        n, d = shape
        # uniform on the simplex scaled by U^(1/d), random signs
        e = rng.exponential(size=(n, d + 1))
        point = e[:, :d] / e.sum(axis=1, keepdims=True)
        return eps * point * rng.choice([-1.0, 1.0], size=shape)


#: The registry: norm value -> :class:`Norm`.
NORMS = {norm.p: norm for norm in (L1(), L2(), Linf())}
# Spellings accepted by parse_norm besides the numbers themselves.
_NORM_NAMES = {name: norm.p for norm in NORMS.values() for name in (norm.name, f"l_{norm.name[1:]}")}
_NORM_NAMES.update({"1": 1.0, "2": 2.0, "inf": np.inf})


def parse_norm(norm) -> float:
    """Return the norm as 1, 2 or ``np.inf``.

    Accepts 1, 2, ``np.inf`` and the strings ``"l1"``, ``"l2"``, ``"linf"``
    (also ``"1"``, ``"2"``, ``"inf"``, any case).

    Examples
    --------
    >>> parse_norm("l2"), parse_norm("2"), parse_norm(np.inf)
    (2.0, 2.0, inf)
    """
    names = "1, 2, np.inf or one of " + ", ".join(repr(norm.name) for norm in NORMS.values())
    if isinstance(norm, str):
        key = norm.strip().lower()
        if key in _NORM_NAMES:
            return float(_NORM_NAMES[key])
        raise ValueError(f"norm must be {names}; got {norm!r}")
    if isinstance(norm, (bool, np.bool_)) or not isinstance(norm, (int, float, np.integer, np.floating)):
        raise TypeError(f"norm must be {names}; got {type(norm).__name__}")
    if float(norm) in NORMS:
        return float(norm)
    raise ValueError(f"norm must be {names}; got {norm!r}")


def get_norm(norm) -> Norm:
    """The :class:`Norm` object of any spelling :func:`parse_norm` accepts."""
    return NORMS[parse_norm(norm)]


def pairwise_distances(A: np.ndarray, B: np.ndarray, norm: float) -> np.ndarray:
    """Distances ``||a_i - b_j||`` for all pairs, shape (len(A), len(B))."""
    return NORMS[norm].distances(A, B)


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
    return NORMS[norm].birth_radius(P)


def common_point(points: np.ndarray, norm: float = 2) -> np.ndarray:
    """A point shared by the smallest balls around ``points`` (k, d)."""
    return birth_radius(np.asarray(points, dtype=float)[None], norm)[1][0]



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
