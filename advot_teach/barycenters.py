"""Wasserstein barycenters: four ways to compute one, and McCann interpolation.

The (W2) barycenter of measures ``mu_1, ..., mu_K`` with weights
``w_1, ..., w_K`` (non-negative, summing to 1) is

    bar = argmin_nu  sum_i w_i W_2^2(nu, mu_i).

* On the line (:func:`barycenter_1d`) it is the measure whose quantile
  function is the weighted average of the quantile functions:
  ``F_bar^{-1}(s) = sum_i w_i F_i^{-1}(s)``.
* For point clouds, :func:`free_support_barycenter` runs POT's fixed-point
  iteration (Cuturi & Doucet 2014; Alvarez-Esteban et al. 2016) on a fixed
  number of equally weighted atoms.  It is fast but only a local method.
* For images on a grid, :func:`entropic_barycenter_2d` uses POT's
  convolutional Sinkhorn barycenter (Solomon et al. 2015): blurred by the
  entropy, but cheap.
* Exactly, for small data, :func:`multimarginal_barycenter_lp` solves the
  multimarginal problem of Agueh & Carlier (2011) and Gangbo & Swiech (1998):
  couple all K measures at once with the cost
  ``c(x_1, ..., x_K) = sum_i w_i ||x_i - m||^2``, ``m = sum_i w_i x_i``;
  the barycenter is the image of the optimal coupling under ``m``.
  (Equivalently ``c = sum_{i<j} w_i w_j ||x_i - x_j||^2``.)

For two measures the barycenter with weights ``(1 - t, t)`` is the McCann
interpolation ``((1 - t) x + t y)_# P`` of an optimal coupling ``P``
(:func:`mccann_interpolation`): a constant-speed W2 geodesic.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import ot
from scipy import sparse
from scipy.optimize import linprog

from ._validation import check_points, check_same_dim, check_scalar, check_weights
from .transport import _emd, _quantile_steps

__all__ = [
    "Barycenter1D",
    "PointBarycenter",
    "ImageBarycenter",
    "McCannInterpolation",
    "barycenter_1d",
    "free_support_barycenter",
    "entropic_barycenter_2d",
    "multimarginal_barycenter_lp",
    "mccann_interpolation",
]

_MASS_TOL = 1e-12


# --------------------------------------------------------------- result types
@dataclass(frozen=True)
class Barycenter1D:
    """The barycenter of 1-D measures, read off the quantile functions.

    Attributes
    ----------
    support : ndarray, shape (m,)
        Sorted atoms of the barycenter.
    mass : ndarray, shape (m,)
        Their masses (sum 1).
    levels : ndarray, shape (L,)
        Quantile levels ``s`` in (0, 1].
    quantiles : ndarray, shape (L,)
        The barycenter's quantile function at ``levels``:
        ``sum_i w_i F_i^{-1}(s)``.
    """

    support: np.ndarray
    mass: np.ndarray
    levels: np.ndarray
    quantiles: np.ndarray


@dataclass(frozen=True)
class PointBarycenter:
    """A barycenter supported on points.

    Attributes
    ----------
    support : ndarray, shape (m, d)
        Atoms of the barycenter.
    mass : ndarray, shape (m,)
        Their masses (sum 1).
    value : float
        ``sum_i w_i W_2^2(barycenter, mu_i)`` (for the LP: the optimal value
        of the multimarginal problem, which equals it).
    tuples : ndarray of int, shape (m, K), or None
        Multimarginal LP only: atom ``k`` is the weighted mean of
        ``point_clouds[i][tuples[k, i]]`` over ``i``.
    """

    support: np.ndarray
    mass: np.ndarray
    value: float
    tuples: np.ndarray | None = None


@dataclass(frozen=True)
class ImageBarycenter:
    """An entropic barycenter of images on a common grid.

    Attributes
    ----------
    image : ndarray, shape (h, w)
        Non-negative, sums to 1.
    reg : float
        The entropic regularisation used.
    """

    image: np.ndarray
    reg: float


@dataclass(frozen=True)
class McCannInterpolation:
    """Displacement interpolation between two discrete measures.

    Mass ``mass[k]`` travels on a straight line from ``source[k]`` to
    ``target[k]``; at time ``t`` it sits at ``(1 - t) source + t target``.

    Attributes
    ----------
    t : float
    support : ndarray, shape (k, d)
        The interpolated atoms at time ``t``.
    mass : ndarray, shape (k,)
    source, target : ndarray, shape (k, d)
        Ends of each moving piece of mass (the pairs of the optimal plan).
    plan : ndarray, shape (n, m)
        The W2-optimal coupling.
    """

    t: float
    support: np.ndarray
    mass: np.ndarray
    source: np.ndarray
    target: np.ndarray
    plan: np.ndarray = field(repr=False)

    def at(self, t: float) -> np.ndarray:
        """Atoms at another time ``t`` without re-solving, shape (k, d)."""
        t = _check_t(t)
        return (1 - t) * self.source + t * self.target


# ----------------------------------------------------------------- validation
def _check_t(t) -> float:
    return check_scalar(t, "t", min_val=0, max_val=1)


def _as_measures(point_clouds, masses, name="point_clouds"):
    """List of (points (n_i, d), weights (n_i,)) with one common dimension."""
    if isinstance(point_clouds, np.ndarray) and point_clouds.ndim >= 2:
        point_clouds = list(point_clouds)
    if not isinstance(point_clouds, (list, tuple)) or len(point_clouds) == 0:
        raise TypeError(f"{name} must be a non-empty list of arrays of shape (n_i, d)")
    clouds = [check_points(P, f"{name}[{i}]") for i, P in enumerate(point_clouds)]
    dims = {P.shape[1] for P in clouds}
    if len(dims) != 1:
        raise ValueError(f"all {name} must have the same dimension d; got {sorted(dims)}")
    if masses is None:
        masses = [None] * len(clouds)
    if not isinstance(masses, (list, tuple)) or len(masses) != len(clouds):
        raise ValueError(f"masses must be a list with one weight vector per measure ({len(clouds)})")
    weights = [check_weights(m, len(P), f"masses[{i}]") for i, (P, m) in enumerate(zip(clouds, masses))]
    return clouds, weights


# ---------------------------------------------------------------- public API
def barycenter_1d(samples_list, weights=None, levels=None, *, masses=None) -> Barycenter1D:
    """Exact W2 barycenter of measures on the line by quantile averaging.

    Parameters
    ----------
    samples_list : list of K array_like, shapes (n_i,)
        Atoms of each measure.
    weights : array_like, shape (K,), optional
        Barycentric weights ``w_i`` (normalised); uniform if None.
    levels : array_like, shape (L,), optional
        Quantile levels in (0, 1] at which to report the barycenter's
        quantile function; by default the midpoints of its steps.
    masses : list of K array_like, optional
        Weights of the atoms of each measure (normalised); uniform if None.

    Returns
    -------
    Barycenter1D

    Examples
    --------
    >>> r = barycenter_1d([[0.0, 2.0], [4.0, 6.0]])
    >>> r.support.tolist(), r.mass.tolist()
    ([2.0, 4.0], [0.5, 0.5])
    """
    clouds, cloud_masses = _as_measures(samples_list, masses, name="samples_list")
    if clouds[0].shape[1] != 1:
        raise ValueError(f"samples_list must hold 1-D samples; got dimension {clouds[0].shape[1]}")
    samples = [P[:, 0] for P in clouds]
    w = check_weights(weights, len(samples), "weights")
    lengths, *quantiles = _quantile_steps(samples, cloud_masses)
    steps = np.sum(w[:, None] * np.vstack(quantiles), axis=0)
    # The averaged quantile function is non-decreasing; equal neighbouring
    # steps are one atom.
    support, inverse = np.unique(steps, return_inverse=True)
    mass = np.bincount(inverse, weights=lengths, minlength=len(support))
    if levels is None:
        cuts = np.concatenate([[0.0], np.cumsum(lengths)])
        levels = (cuts[:-1] + cuts[1:]) / 2
        values = steps
    else:
        levels = np.asarray(levels, dtype=float)
        if levels.ndim != 1 or np.any(~(levels > 0)) or np.any(levels > 1):
            raise ValueError("levels must be a 1-D array of quantile levels in (0, 1]")
        values = np.zeros(len(levels))
        for wi, x, a in zip(w, samples, cloud_masses):
            x, a = x[a > 0], a[a > 0]  # atoms without mass are never a quantile
            order = np.argsort(x, kind="stable")
            cum = np.cumsum(a[order])
            cum[-1] = 1.0  # round-off must not push level 1 past the last atom
            values += wi * x[order][np.minimum(np.searchsorted(cum, levels), len(x) - 1)]
    return Barycenter1D(support=support, mass=mass, levels=levels, quantiles=values)


def _barycenter_value(support, mass, clouds, cloud_masses, w) -> float:
    """``sum_i w_i W_2^2(barycenter, mu_i)`` computed with exact OT."""
    total = 0.0
    for wi, P, a in zip(w, clouds, cloud_masses):
        M = ot.dist(support, P)  # squared Euclidean
        total += wi * float(np.sum(_emd(mass, a, M) * M))
    return total


def free_support_barycenter(point_clouds, weights=None, *, masses=None, n_support=None,
                            X_init=None, seed=0, max_iter=100, tol=1e-9) -> PointBarycenter:
    """Free-support W2 barycenter by POT's fixed-point iteration.

    The barycenter has ``n_support`` atoms of equal mass; their positions are
    updated by averaging the optimal-transport images in every measure
    (:func:`ot.lp.free_support_barycenter`).  The iteration decreases the
    objective but may stop at a local minimum: compare with
    :func:`multimarginal_barycenter_lp` on small data.

    Parameters
    ----------
    point_clouds : list of K array_like, shapes (n_i, d)
    weights : array_like, shape (K,), optional
        Barycentric weights (normalised); uniform if None.
    masses : list of K array_like, optional
        Atom weights of each cloud (normalised); uniform if None.
    n_support : int, optional
        Number of barycenter atoms; default the largest ``n_i``.
    X_init : array_like, shape (n_support, d), optional
        Starting atoms; default ``n_support`` distinct points of the largest
        cloud drawn with ``np.random.default_rng(seed)``.
    seed : int, default 0
    max_iter : int, default 100
    tol : float, default 1e-9
        Stop when the squared displacement of the atoms is below ``tol``.

    Returns
    -------
    PointBarycenter
        ``value = sum_i w_i W_2^2(barycenter, mu_i)``, ``tuples = None``.
    """
    clouds, cloud_masses = _as_measures(point_clouds, masses)
    w = check_weights(weights, len(clouds), "weights")
    d = clouds[0].shape[1]
    if X_init is None:
        largest = max(clouds, key=len)
        k = len(largest) if n_support is None else check_scalar(n_support, "n_support", numbers.Integral, min_val=1)
        rng = np.random.default_rng(seed)
        rows = rng.choice(len(largest), size=k, replace=k > len(largest))
        X_init = largest[rows]
    else:
        X_init = check_points(X_init, "X_init")
        if X_init.shape[1] != d:
            raise ValueError(f"X_init must have shape (n_support, {d}); got {X_init.shape}")
        if n_support is not None and len(X_init) != n_support:
            raise ValueError(f"X_init has {len(X_init)} rows but n_support={n_support}")
    support = ot.lp.free_support_barycenter(
        clouds, cloud_masses, X_init, weights=w, numItermax=int(max_iter), stopThr=float(tol)
    )
    mass = np.full(len(support), 1.0 / len(support))
    return PointBarycenter(support=support, mass=mass,
                           value=_barycenter_value(support, mass, clouds, cloud_masses, w))


def entropic_barycenter_2d(images, weights=None, reg=0.004, *, max_iter=10_000, tol=1e-9) -> ImageBarycenter:
    """Entropic W2 barycenter of images by convolutional Sinkhorn.

    Each image is read as a probability distribution on the pixel grid
    (the grid is scaled to the unit square, so ``reg`` is relative to it).
    Smaller ``reg`` gives sharper but slower barycenters; below
    ``reg = 0.002`` (or if the plain solver fails) the log-domain solver
    keeps them stable.

    Parameters
    ----------
    images : array_like, shape (K, h, w)
        Non-negative images, each with positive total (normalised to 1).
    weights : array_like, shape (K,), optional
        Barycentric weights (normalised); uniform if None.
    reg : float > 0, default 0.004
    max_iter : int, default 10000
    tol : float, default 1e-9

    Returns
    -------
    ImageBarycenter
    """
    try:
        A = np.asarray(images, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError("images must be an array of shape (K, h, w)") from exc
    if A.ndim != 3 or min(A.shape) < 1:
        raise ValueError(f"images must have shape (K, h, w); got {A.shape}")
    if not np.all(np.isfinite(A)) or np.any(A < 0):
        raise ValueError("images must be finite and non-negative")
    totals = A.sum(axis=(1, 2))
    if np.any(totals <= 0):
        raise ValueError("every image must have positive total intensity")
    reg = check_scalar(reg, "reg", min_val=0, include_min=False)
    A = A / totals[:, None, None]
    w = check_weights(weights, len(A), "weights")
    # The plain solver is about 50x faster than the log-domain one and gives the
    # same image, as long as the Gibbs kernel exp(-|x - y|^2 / reg) on the unit
    # square does not underflow (exp(-1/reg) > 1e-300 needs reg > ~0.0015).
    # Its default floor of 1e-30 inside the geometric mean visibly biases
    # barycenters of far-apart shapes, so we lower it to 1e-300.
    attempts = [("sinkhorn", {"stabThr": 1e-300})] if reg >= 0.002 else []
    attempts.append(("sinkhorn_log", {}))
    image = None
    for method, extra in attempts:
        image = np.asarray(ot.bregman.convolutional_barycenter2d(
            A, float(reg), weights=w, method=method,
            numItermax=int(max_iter), stopThr=float(tol), warn=False, **extra,
        ), dtype=float)
        if np.all(np.isfinite(image)) and image.sum() > 0:
            break
    image = np.maximum(image, 0.0)
    return ImageBarycenter(image=image / image.sum(), reg=float(reg))


def multimarginal_barycenter_lp(point_clouds, weights=None, *, masses=None,
                                max_tuples=200_000) -> PointBarycenter:
    """Exact W2 barycenter of small point clouds via the multimarginal LP.

    Solves (Agueh & Carlier 2011; Gangbo & Swiech 1998)

        min_pi  sum_tuples pi(t) c(t)   s.t. the i-th marginal of pi is mu_i,

    over couplings ``pi`` of all K measures at once, with
    ``c(x_1, ..., x_K) = sum_i w_i ||x_i - m||^2``, ``m = sum_i w_i x_i``,
    using :func:`scipy.optimize.linprog` (HiGHS).  The barycenter puts mass
    ``pi(t)`` at ``m(t)`` for every tuple ``t`` with ``pi(t) > 0``, and the
    optimal value equals ``sum_i w_i W_2^2(barycenter, mu_i)``.

    The LP has ``prod_i n_i`` variables: keep the clouds small.

    Parameters
    ----------
    point_clouds : list of K array_like, shapes (n_i, d) or (n_i,)
    weights : array_like, shape (K,), optional
        Barycentric weights (normalised); uniform if None.
    masses : list of K array_like, optional
        Atom weights of each cloud (normalised); uniform if None.
    max_tuples : int, default 200000
        Refuse problems with more tuples than this.

    Returns
    -------
    PointBarycenter
        ``support`` (m, d), ``mass`` (m,), ``value`` and ``tuples`` (m, K).
    """
    clouds, cloud_masses = _as_measures(point_clouds, masses)
    w = check_weights(weights, len(clouds), "weights")
    sizes = [len(P) for P in clouds]
    n_tuples = int(np.prod(sizes, dtype=np.int64))
    if n_tuples > max_tuples:
        raise ValueError(f"the LP would have {n_tuples} variables (prod of cloud sizes {sizes}) "
                         f"> max_tuples={max_tuples}; use smaller clouds or free_support_barycenter")
    # Row r of `index` is one tuple (t_1, ..., t_K), in C order.
    index = np.indices(sizes).reshape(len(sizes), -1).T
    points = np.stack([P[index[:, i]] for i, P in enumerate(clouds)], axis=1)  # (N, K, d)
    means = np.einsum("k,nkd->nd", w, points)
    cost = np.einsum("k,nk->n", w, ((points - means[:, None, :]) ** 2).sum(axis=2))
    # Marginal constraints: one row per atom of every measure.
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rows = (index + offsets).ravel()
    cols = np.repeat(np.arange(n_tuples), len(sizes))
    A_eq = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(sum(sizes), n_tuples))
    b_eq = np.concatenate(cloud_masses)
    res = linprog(cost, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:  # pragma: no cover - the product coupling is always feasible
        raise RuntimeError(f"multimarginal LP failed: {res.message}")
    keep = res.x > _MASS_TOL
    mass = res.x[keep]
    return PointBarycenter(support=means[keep], mass=mass / mass.sum(), value=float(res.fun),
                           tuples=index[keep])


def mccann_interpolation(X, Y, t, a=None, b=None) -> McCannInterpolation:
    """McCann's displacement interpolation between two discrete measures.

    Solves the W2 problem (squared Euclidean cost) with :func:`ot.emd` and
    moves every piece of mass ``P[i, j]`` along the segment from ``x_i`` to
    ``y_j``.  At ``t = 0`` it is ``mu``, at ``t = 1`` it is ``nu``, and
    ``W_2(mu_s, mu_t) = |t - s| W_2(mu, nu)``: a constant-speed geodesic.

    Parameters
    ----------
    X : array_like, shape (n, d) or (n,)
    Y : array_like, shape (m, d) or (m,)
    t : float in [0, 1]
    a, b : array_like, shapes (n,) and (m,), optional
        Weights (normalised); uniform if None.

    Returns
    -------
    McCannInterpolation
        ``support = (1 - t) source + t target`` (k, d) and ``mass`` (k,),
        one atom per positive entry of the plan.
    """
    X, Y = check_points(X, "X"), check_points(Y, "Y")
    check_same_dim(X, Y)
    t = _check_t(t)
    a = check_weights(a, len(X), "a")
    b = check_weights(b, len(Y), "b")
    plan = _emd(a, b, ot.dist(X, Y))
    i, j = np.nonzero(plan > _MASS_TOL)
    source, target = X[i], Y[j]
    return McCannInterpolation(t=t, support=(1 - t) * source + t * target, mass=plan[i, j],
                               source=source, target=target, plan=plan)
