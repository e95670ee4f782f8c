"""Labelled points, eps-balls, conflict hyperedges and barycenter atoms.

Each ``draw_*`` returns its artists; the ``update_*`` helpers change them in
place when eps moves.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection, PolyCollection

from ._inputs import _as_plane, _class_codes
from .shapes import ball_polygons, ball_shape, hyperedge_geometry
from .style import _CONFLICT_COLOR, _STAR, class_colors, class_markers


def atom_sizes(mass, unit_mass, size=40.0) -> np.ndarray:
    """Marker areas (points^2) proportional to mass: ``unit_mass`` gets ``size``."""
    return size * np.asarray(mass, dtype=float) / float(unit_mass)


def draw_data(ax, X, y, *, classes=None, weights=None, size=40.0, labels=None, legend=True,
              edgecolor="0.1", zorder=4, **kwargs):
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
    edgecolor : colour
        Marker outline (dark by default: a point stays visible on its own
        class's region of a classifier map).
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
            edgecolors=edgecolor, linewidths=0.6, zorder=zorder, label=text, **kwargs,
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
    alpha : float, optional
        Opacity of the fill.  Default 0: outlines only, so that the
        classifier map stays the only filled layer (a translucent fill
        would mix colours that then look like hedging).  Pictures without
        a classifier map may fill the balls.
    edge_alpha : float, optional
        Opacity of the outline (default: fainter for many points, so that
        overlapping balls do not hide everything).

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
    alpha = 0.0 if alpha is None else alpha
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


def ball_legend_handle(norm=2, *, color="0.35", label=r"$\varepsilon$-ball"):
    """A legend entry for the eps-balls of :func:`draw_balls`: an open marker
    of the ball's shape (circle for l2, square for linf, diamond for l1).

    Returns
    -------
    matplotlib.lines.Line2D
    """
    from matplotlib.lines import Line2D

    from ..geometry import parse_norm

    marker = {2.0: "o", np.inf: "s", 1.0: "D"}[float(parse_norm(norm))]
    return Line2D([], [], linestyle="none", marker=marker, markersize=11 if marker != "D" else 9,
                  markerfacecolor="none", markeredgecolor=color, markeredgewidth=1.0, label=label)


def update_balls(collection, eps, norm=2):
    """Change the radius (and norm) of the balls drawn by :func:`draw_balls`."""
    collection.set_verts([ball_shape(eps, norm, one_d=getattr(collection, "_advot_one_d", False))])


def draw_hyperedges(ax, X, hyperedges, *, color=_CONFLICT_COLOR, linewidth=1.0, alpha=0.6, fill_alpha=0.0,
                    label="conflict (balls meet)", zorder=2):
    """Draw conflict hyperedges: segments for pairs, polygon outlines for triples+.

    Polygons are not filled by default (``fill_alpha=0``): over a classifier
    map a grey fill would change the map's colours.

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
                    color="black", facecolor="white", zorder=5):
    """Draw the atoms of a generalized barycenter, marker area ~ mass.

    Atoms shared by several classes (the mass the adversary merges) are
    drawn as black-edged stars, white by default (``facecolor``), or filled
    with the mixture of their members' class colours when ``codes`` is
    given (only where no classifier map is drawn: there mixed colours would
    mean a second thing); single-class atoms (unattacked mass) as small open
    rings.

    Parameters
    ----------
    ax : matplotlib Axes
    barycenter : object with ``support`` (m, d), ``mass`` (m,), ``members``
        E.g. ``AdversarialRiskResult.barycenter``.
    codes : array_like of int, shape (n,), optional
        Class index of each data point, to fill shared atoms with their
        classes' mixed colour (default: ``facecolor``).
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
    support, sizes, face, shared = _atom_style(barycenter, codes, n_classes, unit_mass, size, facecolor)
    support = _as_plane(support) if len(support) else np.zeros((0, 2))
    shared_art = ax.scatter(support[shared, 0], support[shared, 1], s=sizes[shared] * _STAR,
                            c=face[shared] if shared.any() else None, marker="*", edgecolors=color,
                            linewidths=0.9, zorder=zorder, label="shared barycenter atom")
    single = ~shared & (not shared_only)
    single_art = ax.scatter(support[single, 0], support[single, 1], s=sizes[single], facecolors="none",
                            edgecolors="0.25", linewidths=0.7, zorder=zorder - 0.5, label="unshared mass")
    return {"shared": shared_art, "single": single_art}


def _atom_style(barycenter, codes, n_classes, unit_mass, size, facecolor):
    mass = np.asarray(barycenter.mass, dtype=float)
    support = np.asarray(barycenter.support, dtype=float)
    members = list(barycenter.members)
    shared = np.array([len(m) >= 2 for m in members], dtype=bool)
    if unit_mass is None:
        unit_mass = mass.min() if len(mass) else 1.0
    sizes = atom_sizes(mass, unit_mass, size)
    face = np.tile(mcolors.to_rgba(facecolor), (len(mass), 1))
    if codes is not None and len(mass):
        codes = np.asarray(codes, dtype=int)
        K = int(n_classes or codes.max() + 1)
        palette = class_colors(K)
        for i, m in enumerate(members):
            if len(m) >= 2:
                face[i, :3] = palette[codes[list(m)], :3].mean(axis=0)
    return support, sizes, face, shared


def update_barycenter(artists, barycenter, *, codes=None, n_classes=None, unit_mass=None, size=40.0,
                      shared_only=False, facecolor="white"):
    """Move the artists of :func:`draw_barycenter` to a new barycenter (in place)."""
    support, sizes, face, shared = _atom_style(barycenter, codes, n_classes, unit_mass, size, facecolor)
    support = _as_plane(support) if len(support) else np.zeros((0, 2))
    artists["shared"].set_offsets(support[shared])
    artists["shared"].set_sizes(sizes[shared] * _STAR)
    artists["shared"].set_facecolors(face[shared])
    single = ~shared & (not shared_only)
    artists["single"].set_offsets(support[single])
    artists["single"].set_sizes(sizes[single])
