"""A (probabilistic) classifier as an image of mixed class colours.

Colour mixing, the dual classifier read off a result, the pixel grid and
the partition legend.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.patches import Patch

from ..classifier import robust_classifier_scores, share_in_proportion
from ._inputs import _as_plane
from .style import _LIGHTEN, _UNDECIDED, class_colors


def proba_to_rgb(proba, colors=None, *, lighten=_LIGHTEN, undecided=_UNDECIDED) -> np.ndarray:
    """Mix the class colours by probability, pixel by pixel.

    A pixel where the classifier is sure of class c gets class c's colour; a
    probabilistic pixel gets the probability-weighted mixture (e.g. 50/50
    between blue and orange), so mixed colours show where the optimal robust
    classifier hedges.  Rows summing to less than 1 give the missing mass to
    the ``undecided`` colour (used where no data point constrains the
    classifier, so any label is optimal).

    Parameters
    ----------
    proba : array_like, shape (..., K)
        Class probabilities (rows summing to at most 1).
    colors : array_like, shape (K, 3) or (K, 4), optional
        Class colours (default :func:`class_colors`).
    lighten : float in [0, 1]
        Mix the result with this much white so points on top stay visible.
    undecided : colour
        Colour of the mass missing from a row.

    Returns
    -------
    ndarray, shape (..., 3)
        RGB values in [0, 1].
    """
    proba = np.asarray(proba, dtype=float)
    K = proba.shape[-1]
    colors = class_colors(K) if colors is None else np.asarray(colors, dtype=float)
    if colors.shape[0] != K:
        raise ValueError(f"colors must have one row per class ({K}); got shape {colors.shape}")
    missing = np.clip(1.0 - proba.sum(axis=-1, keepdims=True), 0.0, 1.0)
    rgb = proba @ colors[:, :3] + missing * np.asarray(mcolors.to_rgb(undecided))
    return np.clip((1 - lighten) * rgb + lighten, 0.0, 1.0)


def dual_classifier_proba(inside, codes, q, n_classes) -> np.ndarray:
    """The optimal robust classifier read off the dual, normalised per pixel.

    ``f_c(z) = max{q_j : y_j = c, z in B_eps(x_j)}`` (the formula of
    :meth:`AdversarialRiskResult.predict_proba`); where these sum to less
    than 1 the rest is shared *in proportion* to them (so a pixel covered by
    one class only is drawn in that class's pure colour; scaling up keeps
    ``f_{y_j} >= q_j`` on every ball, so the classifier stays optimal).
    Pixels no ball covers get an all-zero row: any label is optimal there.

    Parameters
    ----------
    inside : ndarray of bool, shape (m, n)
        ``inside[i, j]``: pixel i lies in the eps-ball of point j.
    codes : ndarray of int, shape (n,)
        Class index of each point.
    q : ndarray, shape (n,)
        Dual solution (``result.q``).
    n_classes : int

    Returns
    -------
    ndarray, shape (m, n_classes)
    """
    return share_in_proportion(robust_classifier_scores(
        np.asarray(inside, dtype=bool), np.asarray(codes, dtype=int), np.asarray(q, dtype=float), n_classes))


def result_proba(result, Z) -> np.ndarray:
    """:func:`dual_classifier_proba` of a result at points Z, shape (m, K)."""
    return share_in_proportion(result.scores(Z))


def grid_points(extent, resolution=150):
    """A regular grid over ``extent = (xmin, xmax, ymin, ymax)``.

    Returns
    -------
    points : ndarray, shape (resolution * resolution, 2)
        Row-major: reshape values to (resolution, resolution) for an image
        with origin "lower".
    shape : tuple (resolution, resolution)
    """
    xmin, xmax, ymin, ymax = map(float, extent)
    xs = np.linspace(xmin, xmax, resolution)
    ys = np.linspace(ymin, ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1), (resolution, resolution)


def data_extent(X, margin=0.15, pad=0.0):
    """A square-ish extent around the points with a relative margin."""
    X = _as_plane(X)
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - margin * span - pad, hi + margin * span + pad
    if np.ptp(X[:, 1]) == 0:  # 1-D data: a thin band around y = 0
        half = 0.25 * (hi[0] - lo[0])
        lo[1], hi[1] = -half, half
    return (lo[0], hi[0], lo[1], hi[1])


def partition_legend_handles(classes, colors=None, *, lighten=_LIGHTEN, max_mixes=3, undecided=True):
    """Legend patches: one pure colour per class, examples of mixtures and
    (``undecided=True``) the colour of unconstrained pixels.

    Returns
    -------
    list of matplotlib.patches.Patch
    """
    K = len(classes)
    colors = class_colors(K) if colors is None else np.asarray(colors)
    handles = []
    for c, label in enumerate(classes):
        onehot = np.zeros(K)
        onehot[c] = 1
        handles.append(Patch(facecolor=proba_to_rgb(onehot, colors, lighten=lighten), edgecolor="0.5",
                             label=f"{label} for sure"))
    mixes = [(a, b) for a in range(K) for b in range(a + 1, K)][:max_mixes]
    for a, b in mixes:
        p = np.zeros(K)
        p[[a, b]] = 0.5
        handles.append(Patch(facecolor=proba_to_rgb(p, colors, lighten=lighten), edgecolor="0.5",
                             label=f"50/50: {classes[a]} or {classes[b]}"))
    if K >= 3:
        p = np.full(K, 1.0 / K)
        handles.append(Patch(facecolor=proba_to_rgb(p, colors, lighten=lighten), edgecolor="0.5",
                             label="1/K each" if K > 3 else "1/3 each"))
    if undecided:
        handles.append(Patch(facecolor=proba_to_rgb(np.zeros(K), colors, lighten=lighten), edgecolor="0.5",
                             label="free: any label"))
    return handles


def draw_partition(ax, proba, extent, classes=None, *, colors=None, legend=True, legend_loc="upper left",
                   lighten=_LIGHTEN, zorder=0, undecided_legend=True, **legend_kwargs):
    """Show a (probabilistic) classifier as an image of mixed class colours.

    Each pixel's colour is the probability-weighted mixture of the class
    colours (:func:`proba_to_rgb`): pure colours where the classifier is
    sure, mixed colours where it hedges.  A legend explains the mixtures.

    Parameters
    ----------
    ax : matplotlib Axes
    proba : array_like, shape (ny, nx, K)
        Class probabilities on a regular grid (row 0 at ``ymin``).  Rows
        summing to less than 1 leave the rest to the grey "free" colour
        (see :func:`proba_to_rgb`).
    extent : (xmin, xmax, ymin, ymax)
    classes : sequence, optional
        Label values for the legend (default 0..K-1).
    legend : bool
        Add the colour legend (as an extra artist, so a data legend can
        coexist with it).
    **legend_kwargs
        Passed to ``ax.legend`` (e.g. ``bbox_to_anchor`` to put it outside).

    Returns
    -------
    dict
        ``"image"``: AxesImage (update with
        ``image.set_data(proba_to_rgb(new_proba))``); ``"legend"``: Legend or None.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 3:
        raise ValueError(f"proba must have shape (ny, nx, K); got {proba.shape}")
    K = proba.shape[-1]
    classes = list(range(K)) if classes is None else list(classes)
    if len(classes) != K:
        raise ValueError(f"classes must have {K} entries (one per column of proba); got {len(classes)}")
    image = ax.imshow(proba_to_rgb(proba, colors, lighten=lighten), extent=tuple(extent), origin="lower",
                      interpolation="nearest", aspect="auto", zorder=zorder)
    leg = None
    if legend:
        style = dict(title="classifier", fontsize="small", title_fontsize="small", framealpha=0.9)
        style.update(legend_kwargs)
        handles = partition_legend_handles(classes, colors, lighten=lighten, undecided=undecided_legend)
        leg = ax.legend(handles=handles, loc=legend_loc, **style)
        ax.add_artist(leg)
    return {"image": image, "legend": leg}
