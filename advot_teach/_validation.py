"""Input checks shared by the public entry points (run once, at the entry)."""
from __future__ import annotations

import numbers

import numpy as np

from .geometry import parse_norm

__all__ = ["check_data", "check_eps", "check_eps_values", "check_max_order", "check_max_hyperedges", "parse_norm"]


def check_data(X, y, weights=None):
    """Validate a labelled, weighted data set.

    Returns
    -------
    X : ndarray, shape (n, d), float
    codes : ndarray, shape (n,), int -- class index of each point
    classes : ndarray, shape (K,) -- the sorted label values
    weights : ndarray, shape (n,) -- nonnegative, summing to 1
    """
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"X must be an array of numbers with shape (n, d): {exc}") from None
    if X.ndim == 1:
        raise ValueError(f"X must be 2-D with shape (n, d); got shape {X.shape} (use X.reshape(-1, 1) for 1-D data)")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D with shape (n, d); got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one point; got 0 rows")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite; it holds NaN or infinite values")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D with one label per point; got shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(f"y must have one label per row of X: len(y) = {len(y)} but X has {len(X)} rows")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("y must not hold NaN labels")
    if y.dtype.kind not in "biufUSO":
        raise TypeError(f"y must hold integer or string labels; got dtype {y.dtype}")
    classes, codes = np.unique(y, return_inverse=True)
    return X, codes.astype(np.intp), classes, check_weights(weights, len(X))


def check_weights(weights, n):
    """Nonnegative finite weights of length n, normalised to sum 1 (default uniform)."""
    if weights is None:
        return np.full(n, 1.0 / n)
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("weights must be an array of nonnegative numbers") from None
    if w.ndim != 1 or len(w) != n:
        raise ValueError(f"weights must have shape ({n},), one per point; got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite; they hold NaN or infinite values")
    if np.any(w < 0):
        raise ValueError("weights must be nonnegative")
    total = w.sum()
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    return w / total


def check_eps(eps, name="eps"):
    """A finite (or +inf) nonnegative float."""
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0; got {type(eps).__name__}")
    eps = float(eps)
    if np.isnan(eps):
        raise ValueError(f"{name} must be a number >= 0; got NaN")
    if eps < 0:
        raise ValueError(f"{name} must be >= 0; got {eps}")
    return eps


def check_eps_values(eps_values, name="eps_values"):
    """A 1-D array of nonnegative, non-NaN budgets."""
    try:
        arr = np.asarray(eps_values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D array of numbers >= 0") from None
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} must not hold NaN")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0; got min {arr.min()}")
    return arr


def check_max_order(max_order):
    if max_order is None:
        return None
    if isinstance(max_order, (bool, np.bool_)) or not isinstance(max_order, numbers.Integral):
        raise TypeError(f"max_order must be an integer >= 1 or None; got {type(max_order).__name__}")
    if max_order < 1:
        raise ValueError(f"max_order must be >= 1 (1 ignores all conflicts); got {max_order}")
    return int(max_order)


def check_max_hyperedges(max_hyperedges):
    """A positive integer, or None (the hypergraph module's default at call time)."""
    if max_hyperedges is None:
        return None
    if isinstance(max_hyperedges, (bool, np.bool_)) or not isinstance(max_hyperedges, numbers.Integral) \
            or max_hyperedges < 1:
        raise ValueError(f"max_hyperedges must be a positive integer or None; got {max_hyperedges!r}")
    return int(max_hyperedges)
