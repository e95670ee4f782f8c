"""Drawing functions for the course: one consistent look, no solving.

Every function draws on a given :class:`matplotlib.axes.Axes` and returns the
artists it created, so that the eps-slider widgets can update them in place
(``set_offsets``, ``set_verts``, ``set_segments``, ``set_data``) instead of
re-drawing the figure.  The small geometry helpers they use
(:func:`ball_polygons`, :func:`hyperedge_geometry`, :func:`proba_to_rgb`,
:func:`atom_sizes`) are public for the same reason.

Class colours come from the Okabe-Ito palette (distinguishable with the
common forms of colour blindness) and every class also has its own marker,
so the figures stay readable in grey scale.

=========================  ===================================================
:func:`class_colors`       the course's colour for each of K classes
:func:`class_markers`      the course's marker for each of K classes
:func:`draw_data`          labelled points (one scatter per class)
:func:`draw_balls`         eps-balls: circles (l2), squares (linf), diamonds (l1)
:func:`draw_hyperedges`    conflict pairs as segments, triples+ as polygons
:func:`draw_barycenter`    atoms of the generalized barycenter, area ~ mass
:func:`draw_partition`     a (probabilistic) classifier as a colour image
:func:`draw_risk_curve`    R*(eps) as a step function
:func:`draw_result`        all of the above for an ``AdversarialRiskResult``
=========================  ===================================================
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Patch

__all__ = [
    "PALETTE",
    "MARKERS",
    "class_colors",
    "class_markers",
    "ball_polygons",
    "hyperedge_geometry",
    "proba_to_rgb",
    "dual_classifier_proba",
    "result_proba",
    "atom_sizes",
    "grid_points",
    "data_extent",
    "step_value",
    "partition_legend_handles",
    "class_legend_handles",
    "draw_data",
    "draw_balls",
    "draw_hyperedges",
    "draw_barycenter",
    "draw_partition",
    "draw_risk_curve",
    "draw_result",
    "update_barycenter",
    "update_balls",
    "ball_shape",
]

#: Okabe-Ito colours (Okabe & Ito 2008), ordered so that the first three
#: (the course's usual number of classes) are far apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: One marker per class, in the same order as :data:`PALETTE`.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

# Pixels of the partition image are mixed with white so that points drawn on
# top stay visible: 0 keeps the pure class colour, 1 is white.
_LIGHTEN = 0.45
# Number of vertices used to draw an l2 ball.
_CIRCLE_VERTICES = 36
_CONFLICT_COLOR = "#444444"
# Where no eps-ball covers a pixel the classifier is unconstrained.
_UNDECIDED = "#d9d9d9"
# Stars look smaller than discs of the same area.
_STAR = 3.0


def class_colors(K: int) -> np.ndarray:
    """The course's colour of each of ``K`` classes.

    Parameters
    ----------
    K : int
        Number of classes (>= 1).  Up to 8 classes get Okabe-Ito colours;
        beyond that matplotlib's ``tab20`` is used.

    Returns
    -------
    ndarray, shape (K, 4)
        RGBA colours in [0, 1].
    """
    K = _check_count(K, "K")
    if K <= len(PALETTE):
        return np.array([mcolors.to_rgba(c) for c in PALETTE[:K]])
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    return np.array([cmap(i % 20) for i in range(K)])


def class_markers(K: int) -> list[str]:
    """The course's marker of each of ``K`` classes (cycled beyond 8)."""
    K = _check_count(K, "K")
    return [MARKERS[i % len(MARKERS)] for i in range(K)]


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


# --------------------------------------------------------------------------
# geometry for drawing


def _unit_ball(norm) -> np.ndarray:
    """Vertices of the unit ball's boundary, shape (v, 2)."""
    if norm == 2:
        angles = np.linspace(0, 2 * np.pi, _CIRCLE_VERTICES, endpoint=False)
        return np.stack([np.cos(angles), np.sin(angles)], axis=1)
    if norm == np.inf:
        return np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
    if norm == 1:
        return np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    raise ValueError(f"norm must be 1, 2 or np.inf; got {norm!r}")


def ball_shape(eps, norm=2, *, one_d=False, height=0.04) -> np.ndarray:
    """Outline of the closed eps-ball around the origin, shape (v, 2).

    l2 gives a circle, linf a square and l1 a diamond; for 1-D data
    (``one_d``) the ball is an interval, drawn as a bar of half-height
    ``height``.
    """
    from .geometry import parse_norm

    if one_d:
        return np.array([[1.0, height], [-1.0, height], [-1.0, -height], [1.0, -height]]) * np.array([eps, 1.0])
    return eps * _unit_ball(parse_norm(norm))


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
    from .risk import robust_classifier_scores

    f = robust_classifier_scores(np.asarray(inside, dtype=bool), np.asarray(codes, dtype=int),
                                 np.asarray(q, dtype=float), n_classes)
    total = f.sum(axis=1, keepdims=True)
    return np.divide(f, total, out=np.zeros_like(f), where=total > 1e-12)


def result_proba(result, Z) -> np.ndarray:
    """:func:`dual_classifier_proba` of a result at points Z, shape (m, K)."""
    from .geometry import pairwise_distances, within

    inside = within(pairwise_distances(np.asarray(Z, dtype=float), result.X, result.norm), result.eps)
    return dual_classifier_proba(inside, result.codes, result.q, len(result.classes))


def atom_sizes(mass, unit_mass, size=40.0) -> np.ndarray:
    """Marker areas (points^2) proportional to mass: ``unit_mass`` gets ``size``."""
    return size * np.asarray(mass, dtype=float) / float(unit_mass)


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


# --------------------------------------------------------------------------
# drawing


def draw_data(ax, X, y, *, classes=None, weights=None, size=40.0, labels=None, legend=True,
              edgecolor="white", zorder=4, **kwargs):
    """Scatter labelled points with the course's class colours and markers.

    Parameters
    ----------
    ax : matplotlib Axes
    X : array_like, shape (n, 2) or (n, 1)
    y : array_like, shape (n,)
    classes : array_like, shape (K,), optional
        All label values, fixing each class's colour (default: sorted
        labels present in y).  Pass it when y may miss a class.
    weights : array_like, shape (n,), optional
        Marker areas proportional to weights (mean weight gets ``size``).
    size : float
        Marker area in points^2.
    labels : list of str, optional
        Legend text per class (default ``"class <label>"``).
    legend : bool
        Add a legend.
    **kwargs
        Passed to ``ax.scatter``.

    Returns
    -------
    list of PathCollection
        One per class, in the order of ``classes`` (a class absent from y
        gets an empty collection, so indices stay stable for updates).
    """
    X = _as_plane(X)
    classes, codes = _class_codes(y, classes)
    if len(codes) != len(X):
        raise ValueError(f"y must have one label per point: {len(codes)} labels for {len(X)} points")
    colors, markers = class_colors(len(classes)), class_markers(len(classes))
    if weights is None:
        sizes = np.full(len(X), float(size))
    else:
        weights = np.asarray(weights, dtype=float)
        sizes = size * weights / weights.mean()
    artists = []
    for c, label in enumerate(classes):
        keep = codes == c
        text = labels[c] if labels is not None else f"class {label}"
        artists.append(ax.scatter(
            X[keep, 0], X[keep, 1], s=sizes[keep], color=colors[c], marker=markers[c],
            edgecolors=edgecolor, linewidths=0.8, zorder=zorder, label=text, **kwargs,
        ))
    if legend:
        ax.legend(handles=artists, loc="upper right", framealpha=0.9)
    return artists


def draw_balls(ax, X, eps, norm=2, *, y=None, classes=None, color=None, alpha=None, edge_alpha=None,
               linewidth=0.8, zorder=1):
    """Draw the eps-ball around every point.

    All balls share one outline (:func:`ball_shape`) placed at every point,
    so drawing hundreds of them is one fast collection and changing eps
    changes one path (:func:`update_balls`).

    Parameters
    ----------
    ax : matplotlib Axes
    X : array_like, shape (n, 2) or (n, 1)
    eps : float
    norm : {2, np.inf, 1}
        Circles (l2), squares (linf) or diamonds (l1).
    y, classes : optional
        Colour each ball by its point's class.
    color : colour, optional
        One colour for all balls (default grey when ``y`` is not given).
    alpha, edge_alpha : float, optional
        Opacity of the fill and of the outline (default: fainter for many
        points, so that overlapping balls do not hide everything).

    Returns
    -------
    PolyCollection
        Update with :func:`update_balls`.
    """
    from matplotlib.transforms import AffineDeltaTransform

    one_d = np.asarray(X).ndim == 2 and np.asarray(X).shape[1] == 1
    X = _as_plane(X)
    if y is not None:
        classes, codes = _class_codes(y, classes)
        base = class_colors(len(classes))[codes]
    else:
        base = np.tile(mcolors.to_rgba(color or "0.4"), (len(X), 1))
    n = len(base)
    alpha = (0.15 if n <= 30 else 0.0) if alpha is None else alpha
    edge_alpha = (0.6 if n <= 30 else 0.3) if edge_alpha is None else edge_alpha
    face, edge = base.copy(), base.copy()
    face[:, 3], edge[:, 3] = alpha, edge_alpha
    # The outline is in data units but not translated (AffineDeltaTransform);
    # the offsets put a copy at every point.
    collection = PolyCollection([ball_shape(eps, norm, one_d=one_d)], offsets=X, offset_transform=ax.transData,
                                transform=AffineDeltaTransform(ax.transData), facecolors=face, edgecolors=edge,
                                linewidths=linewidth, zorder=zorder)
    collection._advot_one_d = one_d
    ax.add_collection(collection, autolim=False)
    ax.update_datalim(ball_polygons(X, eps, norm).reshape(-1, 2) if not one_d else X)
    ax.autoscale_view()
    return collection


def update_balls(collection, eps, norm=2):
    """Change the radius (and norm) of the balls drawn by :func:`draw_balls`."""
    collection.set_verts([ball_shape(eps, norm, one_d=getattr(collection, "_advot_one_d", False))])


def draw_hyperedges(ax, X, hyperedges, *, color=_CONFLICT_COLOR, linewidth=1.0, alpha=0.6, fill_alpha=0.18,
                    label="conflict (balls meet)", zorder=2):
    """Draw conflict hyperedges: segments for pairs, filled polygons for triples+.

    Parameters
    ----------
    ax : matplotlib Axes
    X : array_like, shape (n, 2) or (n, 1)
    hyperedges : iterable of tuple of int
    label : str
        Legend label (of the pair segments).

    Returns
    -------
    dict
        ``"pairs"``: LineCollection (update with ``set_segments``);
        ``"polygons"``: PolyCollection (update with ``set_verts``).
    """
    segments, polygons = hyperedge_geometry(X, hyperedges)
    pairs = LineCollection(segments, colors=[color], linewidths=linewidth, alpha=alpha, zorder=zorder,
                           label=label)
    ax.add_collection(pairs)
    rgba = mcolors.to_rgba(color)
    shapes = PolyCollection(polygons, facecolors=[(*rgba[:3], fill_alpha)], edgecolors=[(*rgba[:3], alpha)],
                            linewidths=linewidth, zorder=zorder)
    ax.add_collection(shapes)
    return {"pairs": pairs, "polygons": shapes}


def draw_barycenter(ax, barycenter, *, codes=None, n_classes=None, unit_mass=None, size=40.0, shared_only=False,
                    color="black", zorder=5):
    """Draw the atoms of a generalized barycenter, marker area ~ mass.

    Atoms shared by several classes (the mass the adversary merges) are
    drawn as black-edged stars filled with the mixture of their members'
    class colours; single-class atoms (unattacked mass) as small open rings.

    Parameters
    ----------
    ax : matplotlib Axes
    barycenter : object with ``support`` (m, d), ``mass`` (m,), ``members``
        E.g. ``AdversarialRiskResult.barycenter``.
    codes : array_like of int, shape (n,), optional
        Class index of each data point, to colour shared atoms.
    n_classes : int, optional
        Number of classes (default ``codes.max() + 1``).
    unit_mass : float, optional
        Mass drawn with area ``size`` (default: the smallest atom mass).
        Pass ``1 / n`` to keep sizes comparable while eps changes.
    shared_only : bool
        Hide single-class atoms.

    Returns
    -------
    dict
        ``"shared"`` and ``"single"``: PathCollections (update with
        ``set_offsets``, ``set_sizes``, ``set_facecolors``).
    """
    support, sizes, face, shared = _atom_style(barycenter, codes, n_classes, unit_mass, size, color)
    support = _as_plane(support) if len(support) else np.zeros((0, 2))
    shared_art = ax.scatter(support[shared, 0], support[shared, 1], s=sizes[shared] * _STAR,
                            c=face[shared] if shared.any() else None, marker="*", edgecolors=color,
                            linewidths=0.9, zorder=zorder, label="shared barycenter atom")
    single = ~shared & (not shared_only)
    single_art = ax.scatter(support[single, 0], support[single, 1], s=sizes[single], facecolors="none",
                            edgecolors="0.25", linewidths=0.7, zorder=zorder - 0.5, label="unshared mass")
    return {"shared": shared_art, "single": single_art}


def _atom_style(barycenter, codes, n_classes, unit_mass, size, color):
    mass = np.asarray(barycenter.mass, dtype=float)
    support = np.asarray(barycenter.support, dtype=float)
    members = list(barycenter.members)
    shared = np.array([len(m) >= 2 for m in members], dtype=bool)
    if unit_mass is None:
        unit_mass = mass.min() if len(mass) else 1.0
    sizes = atom_sizes(mass, unit_mass, size)
    face = np.tile(mcolors.to_rgba(color), (len(mass), 1))
    if codes is not None and len(mass):
        codes = np.asarray(codes, dtype=int)
        K = int(n_classes or codes.max() + 1)
        palette = class_colors(K)
        for i, m in enumerate(members):
            if len(m) >= 2:
                face[i, :3] = palette[codes[list(m)], :3].mean(axis=0)
    return support, sizes, face, shared


def update_barycenter(artists, barycenter, *, codes=None, n_classes=None, unit_mass=None, size=40.0,
                      shared_only=False, color="black"):
    """Move the artists of :func:`draw_barycenter` to a new barycenter (in place)."""
    support, sizes, face, shared = _atom_style(barycenter, codes, n_classes, unit_mass, size, color)
    support = _as_plane(support) if len(support) else np.zeros((0, 2))
    artists["shared"].set_offsets(support[shared])
    artists["shared"].set_sizes(sizes[shared] * _STAR)
    artists["shared"].set_facecolors(face[shared])
    single = ~shared & (not shared_only)
    artists["single"].set_offsets(support[single])
    artists["single"].set_sizes(sizes[single])


def class_legend_handles(classes, labels=None, *, markersize=8):
    """Legend handles with each class's colour and marker (no data needed).

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    from matplotlib.lines import Line2D

    K = len(classes)
    colors, markers = class_colors(K), class_markers(K)
    labels = [f"class {c}" for c in classes] if labels is None else list(labels)
    return [Line2D([], [], linestyle="none", marker=markers[c], color=colors[c], markeredgecolor="white",
                   markersize=markersize, label=labels[c]) for c in range(K)]


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


def draw_risk_curve(ax, eps, risk, *, current_eps=None, label=r"$R^*(\varepsilon)$", color="#D55E00",
                    linewidth=2.0, breakpoints=True, **kwargs):
    """Draw R*(eps) as the right-continuous step function it is.

    Parameters
    ----------
    ax : matplotlib Axes
    eps : array_like, shape (m,)
        Increasing eps values (e.g. the breakpoints and the ends of the range).
    risk : array_like, shape (m,)
        R* at each eps; constant until the next eps.
    current_eps : float, optional
        Also draw a marker at (current_eps, R*(current_eps)) and a vertical line.
    breakpoints : bool
        Mark the jumps with small dots.

    Returns
    -------
    dict
        ``"curve"``: Line2D; ``"marker"``, ``"vline"``: Line2D or None
        (update with ``set_data``); ``"jumps"``: Line2D or None.
    """
    eps = np.asarray(eps, dtype=float)
    risk = np.asarray(risk, dtype=float)
    if eps.shape != risk.shape or eps.ndim != 1:
        raise ValueError(f"eps and risk must be 1-D of the same length; got {eps.shape} and {risk.shape}")
    (curve,) = ax.step(eps, risk, where="post", color=color, linewidth=linewidth, label=label, **kwargs)
    jumps = None
    if breakpoints and len(eps) > 1:
        up = np.nonzero(np.diff(risk) > 1e-12)[0] + 1
        (jumps,) = ax.plot(eps[up], risk[up], "o", color=color, markersize=3.5, zorder=3)
    marker = vline = None
    if current_eps is not None:
        value = step_value(eps, risk, current_eps)
        vline = ax.axvline(current_eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        (marker,) = ax.plot([current_eps], [value], "o", color="black", markersize=8, zorder=4,
                            markerfacecolor=color, markeredgewidth=1.5)
    ax.set_xlabel(r"budget $\varepsilon$")
    ax.set_ylabel(r"optimal adversarial risk $R^*$")
    return {"curve": curve, "marker": marker, "vline": vline, "jumps": jumps}


def step_value(eps, risk, x):
    """Value at ``x`` of the right-continuous step function through (eps, risk)."""
    i = np.searchsorted(np.asarray(eps), x, side="right") - 1
    return float(np.asarray(risk)[max(int(i), 0)])


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
        out["barycenter"] = draw_barycenter(ax, result.barycenter, codes=codes, n_classes=K,
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
