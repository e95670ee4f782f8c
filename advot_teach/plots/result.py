"""All the drawings at once for an ``AdversarialRiskResult``."""
from __future__ import annotations

import numpy as np

from .data import draw_balls, draw_barycenter, draw_data, draw_hyperedges
from .partition import data_extent, draw_partition, grid_points, result_proba


def draw_result(ax, result, *, resolution=150, extent=None, balls=True, hyperedges=True, barycenter=True,
                partition=True, legend=True, title=True, max_hyperedges=600):
    """Draw an ``AdversarialRiskResult``: classifier, balls, conflicts, atoms, data.

    Parameters
    ----------
    ax : matplotlib Axes
    result : AdversarialRiskResult
        From :func:`advot_teach.optimal_adversarial_risk` (2-D or 1-D data).
    resolution : int
        Pixels per side of the classifier image.
    extent : (xmin, xmax, ymin, ymax), optional
        Default: the data's bounding box plus eps and a margin.
    max_hyperedges : int
        With more conflicts than this, only the hyperedges the barycenter
        merges are drawn (all of them would cover the picture).

    Returns
    -------
    dict
        ``"partition"``, ``"balls"``, ``"hyperedges"``, ``"barycenter"``,
        ``"data"`` (the artists of the individual draw functions; absent
        parts are None) and ``"title"``.
    """
    X = np.asarray(result.X)
    if X.shape[1] > 2:
        raise ValueError(f"draw_result draws 1-D or 2-D data; the result's X has {X.shape[1]} columns")
    codes = np.asarray(result.codes)
    classes = list(result.classes)
    K = len(classes)
    extent = data_extent(X, pad=result.eps) if extent is None else extent
    out = {"partition": None, "balls": None, "hyperedges": None, "barycenter": None}
    if partition and X.shape[1] == 2:
        grid, shape = grid_points(extent, resolution)
        proba = result_proba(result, grid).reshape(*shape, K)
        out["partition"] = draw_partition(ax, proba, extent, classes, legend=legend, legend_loc="upper left")
    if balls:
        out["balls"] = draw_balls(ax, X, result.eps, result.norm, y=codes, classes=np.arange(K))
    if hyperedges:
        edges = result.hyperedges
        if len(edges) > max_hyperedges:
            edges = [m for m in result.barycenter.members if len(m) >= 2]
        out["hyperedges"] = draw_hyperedges(ax, X, edges)
    if barycenter:
        out["barycenter"] = draw_barycenter(ax, result.barycenter,
                                            unit_mass=float(np.mean(result.weights)), shared_only=len(X) > 30)
    out["data"] = draw_data(ax, X, codes, classes=np.arange(K), labels=[f"class {c}" for c in classes],
                            legend=legend)
    if legend:
        ax.legend(handles=out["data"], loc="upper right", framealpha=0.9)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    if X.shape[1] == 2:
        ax.set_aspect("equal", adjustable="box")
    out["title"] = ax.set_title(_result_title(result)) if title else None
    return out


def _result_title(result):
    bound = "" if result.is_exact else rf" (lower bound $R^*_{{{result.max_order}}}$)"
    return rf"$\varepsilon$ = {result.eps:.3f}: $R^*$ = {result.risk:.4f}{bound}"
