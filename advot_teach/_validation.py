"""The one validation layer: every public function checks its inputs here.

In the style of scikit-learn's ``check_array`` / ``check_scalar`` /
``_check_sample_weight``: each check converts and returns the value, and a
bad value raises ``TypeError`` (wrong kind) or ``ValueError`` (wrong value)
with a message that names the argument and says what was expected.

Decided once for the whole package:

* ``norm``: 1, 2, ``np.inf`` or the strings ``"l1"``, ``"l2"``, ``"linf"``,
  ``"1"``, ``"2"``, ``"inf"`` (any case) -- ``norm="2"`` is the same as 2
  (:func:`advot_teach.geometry.parse_norm`).
* ``eps = np.inf`` means "every ball holds every point".  The solvers accept
  it (R*, its paths and bounds, the binary solvers, the W_inf ball tests:
  their answers stay finite); the attacks and the explorers, which move or
  draw points by eps, need a finite eps and reject it.
"""
from __future__ import annotations

import numbers

import numpy as np

from .geometry import parse_norm

__all__ = ["check_scalar", "check_bool", "check_array", "check_points", "check_labels", "check_weights",
           "check_same_dim", "check_data", "check_eps", "check_eps_values", "check_max_order",
           "check_max_hyperedges", "parse_norm"]


def check_scalar(value, name, kind=numbers.Real, *, min_val=None, max_val=None, include_min=True,
                 include_max=True, allow_inf=False):
    """A real (or integer) scalar inside bounds.

    Parameters
    ----------
    value : object
    name : str
        The argument's name, for the message.
    kind : numbers.Real or numbers.Integral
    min_val, max_val : float, optional
        Bounds; ``include_min`` / ``include_max`` say whether they are allowed.
    allow_inf : bool
        Accept +-inf (within the bounds).

    Returns
    -------
    float or int

    Examples
    --------
    >>> check_scalar(3, "steps", numbers.Integral, min_val=0)
    3
    >>> check_scalar(-1.0, "reg", min_val=0, include_min=False)
    Traceback (most recent call last):
    ...
    ValueError: reg must be a finite number > 0; got -1.0
    """
    integral = kind is numbers.Integral
    if min_val is None:
        bounds = ""
    else:
        bounds = f" {'>=' if include_min else '>'} {min_val:g}"
    if max_val is not None:
        bounds += (" and" if bounds else "") + f" {'<=' if include_max else '<'} {max_val:g}"
    what = ("an integer" if integral else ("a number" if allow_inf else "a finite number")) + bounds
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}")
    value = int(value) if integral else float(value)
    if not integral and (np.isnan(value) or (np.isinf(value) and not allow_inf)):
        raise ValueError(f"{name} must be {what}; got {value}")
    low = min_val is not None and (value < min_val if include_min else value <= min_val)
    high = max_val is not None and (value > max_val if include_max else value >= max_val)
    if low or high:
        raise ValueError(f"{name} must be {what}; got {value}")
    return value


def check_bool(value, name):
    """True or False (numpy booleans too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__}")
    return bool(value)


def check_array(X, name="X", *, ndim=2, allow_1d=False, n_columns=None, finite=True):
    """A nonempty float array, shape (n, d) (or (n,) as n points on the line).

    Parameters
    ----------
    X : array_like
    name : str
    ndim : {1, 2}
        The number of dimensions expected.
    allow_1d : bool
        With ``ndim=2``: a 1-D array is taken as n points of dimension 1.
    n_columns : int, optional
        Required number of columns.
    finite : bool
        Reject NaN and infinite entries.

    Returns
    -------
    ndarray of float
    """
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers with shape {'(n,)' if ndim == 1 else '(n, d)'}") \
            from None
    if ndim == 2 and X.ndim == 1 and allow_1d:
        X = X[:, None]
    if X.ndim != ndim:
        hint = " (use X.reshape(-1, 1) for 1-D data)" if ndim == 2 and X.ndim == 1 else ""
        raise ValueError(f"{name} must be {ndim}-D with shape {'(n,)' if ndim == 1 else '(n, d)'}; "
                         f"got shape {X.shape}{hint}")
    if X.shape[0] == 0 or (ndim == 2 and X.shape[1] == 0):
        raise ValueError(f"{name} must hold at least one point; got shape {X.shape}")
    if n_columns is not None and X.shape[1] != n_columns:
        raise ValueError(f"{name} must have shape (n, {n_columns}); got shape {X.shape}")
    if finite and not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite; it holds NaN or infinite values")
    return X


def check_points(X, name="X", dim=None):
    """Points as a finite float array (n, d); a 1-D array is n points on the line."""
    return check_array(X, name, allow_1d=dim in (None, 1), n_columns=dim)


def check_labels(y, n, name="y"):
    """One integer or string label per point, shape (n,)."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D with one label per point; got shape {y.shape}")
    if len(y) != n:
        raise ValueError(f"{name} must have one label per row of X (the same number of rows): "
                         f"len({name}) = {len(y)} but X has {n} rows")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must not hold NaN labels")
    if y.dtype.kind not in "biufUSO":
        raise TypeError(f"{name} must hold integer or string labels; got dtype {y.dtype}")
    return y


def check_same_dim(X, Y, names=("X", "Y")):
    """Two point sets in the same dimension."""
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"{names[0]} and {names[1]} must live in the same dimension; "
                         f"got d={X.shape[1]} and d={Y.shape[1]}")


def check_data(X, y, weights=None):
    """Validate a labelled, weighted data set.

    Returns
    -------
    X : ndarray, shape (n, d), float
    codes : ndarray, shape (n,), int -- class index of each point
    classes : ndarray, shape (K,) -- the sorted label values
    weights : ndarray, shape (n,) -- nonnegative, summing to 1
    """
    X = check_array(X, "X")
    y = check_labels(y, len(X))
    classes, codes = np.unique(y, return_inverse=True)
    return X, codes.astype(np.intp), classes, check_weights(weights, len(X))


def check_weights(weights, n, name="weights"):
    """Nonnegative finite weights of length n, normalised to sum 1 (default uniform).

    Examples
    --------
    >>> check_weights([1, 3], 2)
    array([0.25, 0.75])
    """
    if weights is None:
        return np.full(n, 1.0 / n)
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of nonnegative numbers") from None
    if w.ndim != 1 or len(w) != n:
        raise ValueError(f"{name} must have shape ({n},), one per point; got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} must be finite; they hold NaN or infinite values")
    if np.any(w < 0):
        raise ValueError(f"{name} must be nonnegative")
    total = w.sum()
    if total <= 0:
        raise ValueError(f"{name} must have a positive sum")
    return w / total


def check_eps(eps, name="eps", *, allow_inf=True):
    """A nonnegative float; +inf only with ``allow_inf`` (see the module docstring)."""
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0; got {type(eps).__name__}")
    eps = float(eps)
    if np.isnan(eps):
        raise ValueError(f"{name} must be a number >= 0; got NaN")
    if eps < 0:
        raise ValueError(f"{name} must be >= 0; got {eps}")
    if np.isinf(eps) and not allow_inf:
        raise ValueError(f"{name} must be a finite number >= 0 here; got inf")
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
