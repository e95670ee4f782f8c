"""Geometry for drawing: eps-ball outlines and hyperedge segments/polygons."""
from __future__ import annotations

import numpy as np

from ._inputs import _as_plane


def ball_shape(eps, norm=2, *, one_d=False, height=0.04) -> np.ndarray:
    """Outline of the closed eps-ball around the origin, shape (v, 2).

    l2 gives a circle, linf a square and l1 a diamond; for 1-D data
    (``one_d``) the ball is an interval, drawn as a bar of half-height
    ``height``.
    """
    from ..geometry import get_norm

    if one_d:
        return np.array([[1.0, height], [-1.0, height], [-1.0, -height], [1.0, -height]]) * np.array([eps, 1.0])
    return eps * get_norm(norm).unit_ball()


def ball_polygons(X, eps, norm=2, *, height=0.04) -> np.ndarray:
    """Outlines of the closed eps-balls around the points.

    Parameters
    ----------
    X : array_like, shape (n, 2) or (n, 1)
        Centres.  1-D balls are intervals, drawn as bars of half-height
        ``height`` on the line y = 0.
    eps : float
        Radius.
    norm : {2, np.inf, 1, "l2", "linf", "l1"}
        l2 gives circles, linf squares and l1 diamonds.

    Returns
    -------
    ndarray, shape (n, v, 2)
    """
    one_d = np.asarray(X).ndim == 2 and np.asarray(X).shape[1] == 1
    return _as_plane(X)[:, None, :] + ball_shape(eps, norm, one_d=one_d, height=height)[None]


def hyperedge_geometry(X, hyperedges):
    """Segments for conflict pairs and polygons for larger hyperedges.

    Parameters
    ----------
    X : array_like, shape (n, 2) or (n, 1)
    hyperedges : iterable of tuple of int
        Point indices of each hyperedge (size >= 2).

    Returns
    -------
    segments : ndarray, shape (p, 2, 2)
        One segment per pair.
    polygons : list of ndarray, each shape (k, 2)
        One convex polygon (vertices in angular order) per hyperedge of
        k >= 3 points.
    """
    X = _as_plane(X)
    pairs, polygons = [], []
    for e in hyperedges:
        e = np.asarray(e, dtype=int)
        if len(e) == 2:
            pairs.append(e)
        elif len(e) >= 3:
            P = X[e]
            centre = P.mean(axis=0)
            order = np.argsort(np.arctan2(P[:, 1] - centre[1], P[:, 0] - centre[0]))
            polygons.append(P[order])
    segments = X[np.array(pairs, dtype=int).reshape(-1, 2)] if pairs else np.zeros((0, 2, 2))
    return segments, polygons
