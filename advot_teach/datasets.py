"""The course's data sets: small, seeded, and with known answers where possible.

Every function returns ``(X, y)`` (plus weights where they matter) and draws
random numbers only from ``numpy.random.default_rng(seed)``; nothing is
downloaded (the digits come with scikit-learn).

==============================  ================================================
:func:`triangle`                one point per class, the published closed form
:func:`three_weighted_points`   the triangle with unequal weights
:func:`four_circles`            four classes on circles, the published R*_L table
:func:`gaussians_1d`            two Gaussians on the line, population formula
:func:`classes_in_one_ball`     K classes in one ball: R* = 1 - 1/K
:func:`binary_blobs`            two Gaussian blobs
:func:`three_blobs`             three Gaussian blobs on a triangle
:func:`two_class_toy`           :func:`binary_blobs` as the model notebooks use it
:func:`two_moons`               two interleaved half circles
:func:`digits`                  8x8 handwritten digits, pixels in [0, 1]
==============================  ================================================
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validation import check_scalar

__all__ = [
    "triangle",
    "three_weighted_points",
    "four_circles",
    "gaussians_1d",
    "binary_blobs",
    "three_blobs",
    "classes_in_one_ball",
    "digits",
    "two_class_toy",
    "two_moons",
]


def triangle(side: float = 1.0):
    """Equilateral triangle, one point per class (Garcia Trillos, Jacobs, Kim, JMLR 2023, section 5.2).

    With weights 1/3: R* = 0 for eps < side/2, 1/2 for side/2 <= eps <
    side/sqrt(3), 2/3 beyond; in the middle regime q = (1/2, 1/2, 1/2).

    Returns
    -------
    X : ndarray, shape (3, 2)
    y : ndarray, shape (3,)
    """
    X = side * np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    return X, np.array([0, 1, 2])


def three_weighted_points(weights=(0.5, 0.3, 0.2), side: float = 1.0):
    """The triangle with unequal weights (Garcia Trillos, Jacobs, Kim, JMLR 2023, section 5.2).

    Returns
    -------
    X : ndarray, shape (3, 2)
    y : ndarray, shape (3,)
    weights : ndarray, shape (3,)
    """
    X, y = triangle(side)
    w = np.asarray(weights, dtype=float)
    return X, y, w / w.sum()


def four_circles(points_per_circle: int = 12, centre: float = 0.6, radius: float = 1.0):
    """Four classes, points evenly spaced on unit circles centred at (+-c, +-c).

    The published table of R*_L for L = 2, 3, 4 at eps = 0.25 ... 1
    (Garcia Trillos, Jacobs, Kim, Werenski 2024) uses the defaults, uniform weights and the l2 norm.

    Returns
    -------
    X : ndarray, shape (4 * points_per_circle, 2)
    y : ndarray, shape (4 * points_per_circle,)
    """
    angles = 2 * np.pi * np.arange(points_per_circle) / points_per_circle
    ring = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    centres = centre * np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=float)
    X = np.concatenate([ring + c for c in centres])
    y = np.repeat(np.arange(4), points_per_circle)
    return X, y


def gaussians_1d(n_per_class: int = 100, a: float = 1.0, s: float = 1.0, seed: int = 0, *, m: float | None = None):
    """Two classes on the line: N(-a, s^2) (label 0) and N(a, s^2) (label 1).

    Population value (equal priors): R*(eps) = Phi((eps - a) / s) for
    eps < a, 1/2 beyond (notebook 04, section 6).

    Parameters
    ----------
    n_per_class : int
    a : float
        Half the distance between the two centres (> 0).
    s : float
        Standard deviation of both classes (> 0).
    seed : int
    m : float, optional
        Older name of ``a`` (the course writes m_i for class masses); if
        given, it is used as ``a``.

    Returns
    -------
    X : ndarray, shape (2 * n_per_class, 1)
    y : ndarray, shape (2 * n_per_class,)
    """
    if m is not None:
        a = m
    rng = np.random.default_rng(seed)
    x0 = rng.normal(-a, s, n_per_class)
    x1 = rng.normal(a, s, n_per_class)
    return np.concatenate([x0, x1])[:, None], np.repeat([0, 1], n_per_class)


def binary_blobs(n_per_class: int = 40, spread: float = 0.6, seed: int = 0, *, centre: float = 0.8):
    """Two Gaussian blobs in the plane, centred at (-centre, 0) and (centre, 0).

    Parameters
    ----------
    n_per_class : int, default 40
        Points per class.
    spread : float, default 0.6
        Standard deviation of each coordinate.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    centre : float, default 0.8
        Distance of each blob's centre from the origin.

    Returns
    -------
    X : ndarray of shape (2 * n_per_class, 2)
    y : ndarray of shape (2 * n_per_class,)
        Labels 0 (left blob) then 1 (right blob).
    """
    return _blobs([[-centre, 0.0], [centre, 0.0]], n_per_class, spread, seed)


def three_blobs(n_per_class: int = 30, spread: float = 0.55, seed: int = 0):
    """Three Gaussian blobs at the vertices of an equilateral triangle.

    The centres lie on the unit circle at angles 90, 210 and 330 degrees, so
    every pair of centres is sqrt(3) apart.

    Parameters
    ----------
    n_per_class : int, default 30
        Points per class.
    spread : float, default 0.55
        Standard deviation of each coordinate.
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (3 * n_per_class, 2)
    y : ndarray of shape (3 * n_per_class,)
        Labels 0, 1, 2 in blocks of ``n_per_class``.
    """
    angles = np.pi / 2 + 2 * np.pi * np.arange(3) / 3
    return _blobs(np.stack([np.cos(angles), np.sin(angles)], axis=1), n_per_class, spread, seed)


def classes_in_one_ball(n_classes: int = 4, n_per_class: int = 5, dim: int = 2, radius: float = 1.0, seed: int = 0):
    """Balanced classes all drawn inside one ball of ``radius`` (l2).

    For eps >= radius every multi-class set has a common point (the ball's
    centre), so R* = 1 - 1/K.
    """
    rng = np.random.default_rng(seed)
    n = n_classes * n_per_class
    direction = rng.standard_normal((n, dim))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    X = radius * direction * rng.uniform(0, 1, (n, 1)) ** (1 / dim)
    return X, np.repeat(np.arange(n_classes), n_per_class)


# --- Training data for the models of notebooks 01, 06 and 07 ---------------------

def _check_n_per_class(n_per_class) -> int:
    return check_scalar(n_per_class, "n_per_class", numbers.Integral, min_val=1)


def _blobs(centers, n_per_class, std, seed):
    n_per_class = _check_n_per_class(n_per_class)
    std = check_scalar(std, "std", min_val=0, include_min=False)
    rng = np.random.default_rng(seed)
    centers = np.asarray(centers, dtype=float)
    k, d = centers.shape
    X = np.concatenate([c + std * rng.standard_normal((n_per_class, d)) for c in centers])
    y = np.repeat(np.arange(k), n_per_class)
    return X, y


def two_class_toy(n_per_class: int = 100, seed: int = 0, *, std: float = 0.6):
    """Two Gaussian blobs centred at (-1, 0) and (1, 0): :func:`binary_blobs`
    with ``centre=1`` and the defaults of the model notebooks.

    With the default ``std = 0.6`` the classes overlap a little, so even the
    best classifier makes a few clean mistakes and an attack of radius
    ``eps`` pushes many more points across any boundary.
    """
    return binary_blobs(n_per_class, std, seed, centre=1.0)


def two_moons(n_per_class: int = 100, seed: int = 0, *, noise: float = 0.1):
    """Two interleaved half circles: a curved boundary that a linear model cannot draw.

    Class 0 lies on the upper unit half circle ``(cos t, sin t)``, class 1 on
    the lower one ``(1 - cos t, 0.5 - sin t)``, ``t`` uniform on ``[0, pi]``,
    plus Gaussian noise (the shape of scikit-learn's ``make_moons``).

    Parameters
    ----------
    n_per_class : int, default 100
        Points per class.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    noise : float, default 0.1
        Standard deviation of the noise added to each coordinate (>= 0).

    Returns
    -------
    X : ndarray of shape (2 * n_per_class, 2)
    y : ndarray of shape (2 * n_per_class,)
        Labels 0 (upper moon) then 1 (lower moon).
    """
    n_per_class = _check_n_per_class(n_per_class)
    noise = check_scalar(noise, "noise", min_val=0)
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, np.pi, size=(2, n_per_class))
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1.0 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((2 * n_per_class, 2))
    return X, np.repeat([0, 1], n_per_class)


def digits(classes=range(10), n_per_class: int | None = None, seed: int = 0):
    """The 8x8 handwritten digits of scikit-learn (1797 images, bundled).

    Parameters
    ----------
    classes : iterable of int, default range(10)
        Which digits to keep (distinct values in 0..9).
    n_per_class : int or None, default None
        Keep this many images of each kept digit, drawn without replacement
        with ``seed``; ``None`` keeps all of them (about 180 per digit).
    seed : int, default 0
        Seed of the subsampling.

    Returns
    -------
    X : ndarray of shape (n, 64)
        Pixel intensities scaled from 0..16 to [0, 1]; row-major 8x8 images.
    y : ndarray of shape (n,)
        The digit shown in each image.  Rows keep the original order of the
        data set.
    """
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    try:
        classes = np.asarray(list(classes))
    except TypeError:
        raise TypeError(f"classes must be an iterable of digits 0..9, got {classes!r}") from None
    if classes.ndim != 1 or classes.size == 0 or not np.issubdtype(classes.dtype, np.integer):
        raise ValueError(f"classes must be a non-empty list of digits 0..9, got {classes.tolist()!r}")
    if classes.min() < 0 or classes.max() > 9 or np.unique(classes).size != classes.size:
        raise ValueError(f"classes must be distinct digits 0..9, got {classes.tolist()!r}")

    bunch = load_digits()
    X = bunch.data / 16.0
    y = bunch.target
    keep = np.isin(y, classes)
    if n_per_class is not None:
        n_per_class = _check_n_per_class(n_per_class)
        rng = np.random.default_rng(seed)
        keep = np.zeros(len(y), dtype=bool)
        for c in np.sort(classes):
            idx = np.flatnonzero(y == c)
            if n_per_class > idx.size:
                raise ValueError(
                    f"n_per_class={n_per_class} exceeds the {idx.size} images of digit {c}"
                )
            keep[rng.choice(idx, size=n_per_class, replace=False)] = True
    return X[keep], y[keep]
