"""A (probabilistic) classifier as an image: class colours, stripes where it hedges.

Colouring, the dual classifier read off a result, the pixel grid and
the partition legend.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.patches import Patch

from ..classifier import robust_classifier_scores, share_in_proportion
from ._inputs import _as_plane
from .style import _UNDECIDED, class_map_colors


#: Probabilities within this of 1 count as "sure" (solver round-off).
SURE_TOL = 1e-9


def proba_to_rgb(proba, colors=None, *, undecided=_UNDECIDED, stripes=True) -> np.ndarray:
    """Colour a (probabilistic) classifier, pixel by pixel.

    One meaning per colour: a pixel where the classifier is sure of class c
    gets class c's map colour (:func:`class_map_colors`: the class hue, at
    a grey level of its own, so the map reads in greyscale); a pixel where
    the classifier hedges (largest probability < 1) is drawn, in an image,
    as diagonal **stripes** of the colours of the classes it hedges between,
    each stripe as wide as its probability, with a thin dark hatch line per
    period (so hedging shows as a texture in greyscale too).  Rows summing
    to less than 1 give the missing mass to the ``undecided`` colour (used
    where no data point constrains the classifier, so any label is optimal).

    Parameters
    ----------
    proba : array_like, shape (..., K)
        Class probabilities (rows summing to at most 1).  Stripes need an
        image, shape (ny, nx, K); other shapes get the probability-weighted
        mixture of the colours for hedging rows.
    colors : array_like, shape (K, 3) or (K, 4), optional
        Map colours (default :func:`class_map_colors`).
    undecided : colour
        Colour of the mass missing from a row.
    stripes : bool
        Draw hedging pixels of an image as stripes (else as mixtures).

    Returns
    -------
    ndarray, shape (..., 3)
        RGB values in [0, 1].
    """
    proba = np.asarray(proba, dtype=float)
    K = proba.shape[-1]
    colors = class_map_colors(K) if colors is None else np.asarray(colors, dtype=float)[:, :3]
    if colors.shape[0] != K:
        raise ValueError(f"colors must have one row per class ({K}); got shape {colors.shape}")
    # the missing mass is one more "class", drawn in the undecided colour
    missing = np.clip(1.0 - proba.sum(axis=-1, keepdims=True), 0.0, 1.0)
    full = np.concatenate([proba, missing], axis=-1)
    palette = np.vstack([colors, mcolors.to_rgb(undecided)])
    rgb = np.clip(full, 0.0, 1.0) @ palette
    if stripes and proba.ndim == 3:
        hedging = full.max(axis=-1) < 1.0 - SURE_TOL
        if hedging.any():
            rgb[hedging] = _stripes(full, palette, hedging)
    return np.clip(rgb, 0.0, 1.0)


# Dark hatch line drawn once per stripe period in hedging pixels.
_HATCH = 0.25


def stripe_period(shape) -> int:
    """Stripe period in pixels for an image of ``shape`` (ny, nx): about 26
    periods across, whatever the resolution, and at least 4 pixels."""
    return max(4, int(round(max(shape[:2]) / 26)))


def _stripes(full, palette, hedging):
    """Colours of the ``hedging`` pixels: diagonal stripes, widths ~ probability."""
    rows, cols = np.nonzero(hedging)
    period = stripe_period(hedging.shape)
    offset = (rows + cols) % period
    phase = (offset + 0.5) / period
    cumulative = np.cumsum(full[rows, cols], axis=-1)
    which = np.minimum((cumulative < phase[:, None]).sum(axis=-1), len(palette) - 1)
    out = palette[which]
    out[offset == 0] = _HATCH
    return out


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


def partition_categories(proba):
    """What a classifier image shows, for its legend.

    Parameters
    ----------
    proba : array_like, shape (..., K)

    Returns
    -------
    sure : list of int
        Classes some pixel is sure of.
    hedging : bool
        Some pixel hedges (largest probability < 1 with some mass).
    free : bool
        Some pixel has no mass at all (any label is optimal there).
    """
    proba = np.asarray(proba, dtype=float).reshape(-1, np.shape(proba)[-1])
    total = proba.sum(axis=1)
    top = proba.max(axis=1) if len(proba) else np.zeros(0)
    sure = sorted(set(np.argmax(proba[top >= 1.0 - SURE_TOL], axis=1).tolist()))
    hedging = bool(np.any((top < 1.0 - SURE_TOL) & (total > SURE_TOL)))
    free = bool(np.any(total <= SURE_TOL))
    return sure, hedging, free


def partition_legend_handles(classes, colors=None, *, sure=None, hedging=True, undecided=True):
    """Legend patches for the classifier map: one per class it is sure of,
    one for hedging (stripes) and (``undecided=True``) one for free pixels.

    Parameters
    ----------
    classes : sequence
        Label of every class (K entries).
    sure : iterable of int, optional
        Class indices to list (default all); pass the ``sure`` of
        :func:`partition_categories` to list only what an image shows.
    hedging, undecided : bool
        Add the "hedges" and the "free" entry.

    Returns
    -------
    list of matplotlib.patches.Patch
    """
    K = len(classes)
    colors = class_map_colors(K) if colors is None else np.asarray(colors)[:, :3]
    sure = range(K) if sure is None else sure
    handles = [Patch(facecolor=colors[c], edgecolor="0.5", label=f"class {classes[c]} for sure") for c in sure]
    if hedging:
        handles.append(Patch(facecolor="white", edgecolor=str(_HATCH), hatch="///",
                             label="hedges (stripes)"))
    if undecided:
        handles.append(Patch(facecolor=_UNDECIDED, edgecolor="0.5", label="free: any label"))
    return handles


def draw_partition(ax, proba, extent, classes=None, *, colors=None, legend=True, legend_loc="upper left",
                   zorder=0, undecided_legend=True, **legend_kwargs):
    """Show a (probabilistic) classifier as an image.

    Class colours where the classifier is sure, stripes where it hedges,
    light grey where it is free (:func:`proba_to_rgb`).  The legend lists
    only what the image shows (:func:`partition_categories`).

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
    undecided_legend : bool
        List "free: any label" when the image has free pixels.
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
    image = ax.imshow(proba_to_rgb(proba, colors), extent=tuple(extent), origin="lower",
                      interpolation="nearest", aspect="auto", zorder=zorder)
    leg = None
    if legend:
        style = dict(title="classifier", fontsize="small", title_fontsize="small", framealpha=0.9)
        style.update(legend_kwargs)
        sure, hedging, free = partition_categories(proba)
        handles = partition_legend_handles(classes, colors, sure=sure, hedging=hedging,
                                           undecided=free and undecided_legend)
        leg = ax.legend(handles=handles, loc=legend_loc, **style)
        ax.add_artist(leg)
    return {"image": image, "legend": leg}
