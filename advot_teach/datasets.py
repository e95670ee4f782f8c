"""The course's data sets: small, seeded, and with known answers where possible.

Every function returns ``(X, y)`` (plus weights where they matter) and draws
random numbers only from ``numpy.random.default_rng(seed)``.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "triangle",
    "three_weighted_points",
    "four_circles",
    "gaussians_1d",
    "binary_blobs",
    "three_blobs",
    "classes_in_one_ball",
    "digits",
]


def triangle(side: float = 1.0):
    """Equilateral triangle, one point per class (JMLR 2023, section 5.2).

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
    """The triangle with unequal weights (JMLR 2023, section 5.2).

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

    The ground truth of DESIGN.md (R*_L for L = 2, 3, 4 at eps = 0.25 ... 1)
    uses the defaults, uniform weights and the l2 norm.

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


def gaussians_1d(n_per_class: int = 100, m: float = 1.0, s: float = 1.0, seed: int = 0):
    """Two classes on the line: N(-m, s^2) (label 0) and N(m, s^2) (label 1).

    Population value: R*(eps) = Phi((eps - m) / s) for eps < m, 1/2 beyond.

    Returns
    -------
    X : ndarray, shape (2 * n_per_class, 1)
    y : ndarray, shape (2 * n_per_class,)
    """
    rng = np.random.default_rng(seed)
    x0 = rng.normal(-m, s, n_per_class)
    x1 = rng.normal(m, s, n_per_class)
    return np.concatenate([x0, x1])[:, None], np.repeat([0, 1], n_per_class)


def _blobs(centres, n_per_class, spread, seed):
    rng = np.random.default_rng(seed)
    centres = np.asarray(centres, dtype=float)
    X = np.concatenate([c + spread * rng.standard_normal((n_per_class, centres.shape[1])) for c in centres])
    return X, np.repeat(np.arange(len(centres)), n_per_class)


def binary_blobs(n_per_class: int = 40, spread: float = 0.6, seed: int = 0):
    """Two overlapping Gaussian blobs in the plane, centred at (-+0.8, 0)."""
    return _blobs([[-0.8, 0.0], [0.8, 0.0]], n_per_class, spread, seed)


def three_blobs(n_per_class: int = 30, spread: float = 0.55, seed: int = 0):
    """Three Gaussian blobs in the plane at the corners of a triangle."""
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


# The digits loader lives with the other training data of notebook 01.
from .toydata import digits  # noqa: E402
