"""Input coercion shared by the drawing functions (points, labels, counts)."""
from __future__ import annotations

import numpy as np


def _check_count(K, name):
    if isinstance(K, (bool, np.bool_)) or not isinstance(K, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer; got {type(K).__name__}")
    if K < 1:
        raise ValueError(f"{name} must be >= 1; got {K}")
    return int(K)


def _as_plane(X) -> np.ndarray:
    """Points as (n, 2) for drawing: 1-D data is drawn on the line y = 0."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] not in (1, 2):
        raise ValueError(f"X must have shape (n, 2) or (n, 1) to be drawn; got {np.shape(X)}")
    if X.shape[1] == 1:
        X = np.concatenate([X, np.zeros_like(X)], axis=1)
    return X


def _class_codes(y, classes):
    """Class index of every label, in the order of ``classes``."""
    y = np.asarray(y)
    if classes is None:
        classes, codes = np.unique(y, return_inverse=True)
        return classes, codes.ravel()
    classes = np.asarray(classes)
    codes = np.searchsorted(classes, y) if np.all(classes[:-1] <= classes[1:]) else None
    if codes is None or np.any(codes >= len(classes)) or np.any(classes[np.minimum(codes, len(classes) - 1)] != y):
        lookup = {c: i for i, c in enumerate(classes.tolist())}
        try:
            codes = np.array([lookup[v] for v in y.tolist()], dtype=int)
        except KeyError as exc:
            raise ValueError(f"y holds label {exc.args[0]!r} that is not in classes {classes.tolist()}") from None
    return classes, codes
