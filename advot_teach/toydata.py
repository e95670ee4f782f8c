"""Small seeded data sets for the attack notebook (01) and its tests.

Every function draws from ``np.random.default_rng(seed)``, so the same call
returns the same arrays on every machine.  Nothing is downloaded: the digits
come from the copy bundled with scikit-learn.

=========================  ===================================================
:func:`two_class_toy`      two overlapping 2-D Gaussian blobs, labels 0/1
:func:`two_moons`          two interleaved half circles, labels 0/1
:func:`three_class_toy`    three 2-D Gaussian blobs on a triangle, labels 0/1/2
:func:`digits`             8x8 handwritten digits, pixels scaled to [0, 1]
=========================  ===================================================
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["two_class_toy", "two_moons", "three_class_toy", "digits"]


def _check_n_per_class(n_per_class) -> int:
    if isinstance(n_per_class, bool) or not isinstance(n_per_class, numbers.Integral):
        raise TypeError(f"n_per_class must be a positive integer, got {n_per_class!r}")
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be a positive integer, got {n_per_class}")
    return int(n_per_class)


def _blobs(centers, n_per_class, std, seed):
    n_per_class = _check_n_per_class(n_per_class)
    if not np.isfinite(std) or std <= 0:
        raise ValueError(f"std must be a positive number, got {std!r}")
    rng = np.random.default_rng(seed)
    centers = np.asarray(centers, dtype=float)
    k, d = centers.shape
    X = np.concatenate([c + std * rng.standard_normal((n_per_class, d)) for c in centers])
    y = np.repeat(np.arange(k), n_per_class)
    return X, y


def two_class_toy(n_per_class: int = 100, seed: int = 0, *, std: float = 0.6):
    """Two Gaussian blobs in the plane, centred at (-1, 0) and (1, 0).

    With the default ``std = 0.6`` the classes overlap a little, so even the
    best classifier makes a few clean mistakes and an attack of radius
    ``eps`` pushes many more points across any boundary.

    Parameters
    ----------
    n_per_class : int, default 100
        Points per class.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    std : float, default 0.6
        Standard deviation of each coordinate.

    Returns
    -------
    X : ndarray of shape (2 * n_per_class, 2)
    y : ndarray of shape (2 * n_per_class,)
        Labels 0 (left blob) then 1 (right blob).
    """
    return _blobs([[-1.0, 0.0], [1.0, 0.0]], n_per_class, std, seed)


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
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, np.pi, size=(2, n_per_class))
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1.0 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((2 * n_per_class, 2))
    return X, np.repeat([0, 1], n_per_class)


def three_class_toy(n_per_class: int = 60, seed: int = 0, *, std: float = 0.5):
    """Three Gaussian blobs at the vertices of an equilateral triangle.

    The centres lie on the unit circle at angles 90, 210 and 330 degrees,
    so every pair of centres is sqrt(3) apart.

    Parameters
    ----------
    n_per_class : int, default 60
        Points per class.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    std : float, default 0.5
        Standard deviation of each coordinate.

    Returns
    -------
    X : ndarray of shape (3 * n_per_class, 2)
    y : ndarray of shape (3 * n_per_class,)
        Labels 0, 1, 2 in blocks of ``n_per_class``.
    """
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centers = np.column_stack([np.cos(angles), np.sin(angles)])
    return _blobs(centers, n_per_class, std, seed)


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
