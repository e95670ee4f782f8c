"""The course's look: class colours and markers, style constants, class legend.

Class colours come from the Okabe-Ito palette (distinguishable with the
common forms of colour blindness) and every class also has its own marker,
so the figures stay readable in grey scale.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colors as mcolors

from ._inputs import _check_count


#: Okabe-Ito colours (Okabe & Ito 2008), ordered so that the first three
#: (the course's usual number of classes) are far apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: One marker per class, in the same order as :data:`PALETTE`.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

# The classifier map shades each class's colour to its own grey level (Rec. 601
# luma, what greyscale conversions use), spread evenly over this range: lighter
# than the points drawn on top (their own class's full colour), far enough apart
# to tell the classes apart in greyscale (0.17 for three classes).
_MAP_LUMA = (0.50, 0.84)
_CONFLICT_COLOR = "#444444"
# Where no eps-ball covers a pixel the classifier is unconstrained: blank,
# lighter than every class shade.
_UNDECIDED = "#ffffff"
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


def luma(rgb) -> np.ndarray:
    """Grey level of sRGB colours (Rec. 601 luma, as greyscale conversions compute it).

    Parameters
    ----------
    rgb : array_like, shape (..., 3) or (..., 4)
        Colours in [0, 1] (alpha ignored).

    Returns
    -------
    ndarray, shape (...)
    """
    rgb = np.asarray(rgb, dtype=float)[..., :3]
    return rgb @ np.array([0.299, 0.587, 0.114])


def class_map_colors(K: int) -> np.ndarray:
    """The colour of each class on the classifier map, shape (K, 3).

    Each class colour is mixed with white (or black, if it is lighter than
    its target) until its grey level reaches a target; the targets are
    spread evenly over ``_MAP_LUMA`` in the order of the colours' own grey
    levels.  So the hue still names the class, the map stays light enough
    for the points on top, and in greyscale every class has its own grey.
    """
    colors = class_colors(K)[:, :3]
    own = luma(colors)
    lo, hi = _MAP_LUMA
    targets = np.empty(K)
    targets[np.argsort(own, kind="stable")] = np.linspace(lo, hi, K) if K > 1 else [(lo + hi) / 2]
    lighter = targets >= own
    # mixing with white: (1 - a) * own + a = target; with black: (1 - a) * own = target
    a = np.where(lighter, (targets - own) / np.maximum(1 - own, 1e-12), 1 - targets / np.maximum(own, 1e-12))
    towards = np.where(lighter, 1.0, 0.0)[:, None]
    return (1 - a[:, None]) * colors + a[:, None] * towards


def class_markers(K: int) -> list[str]:
    """The course's marker of each of ``K`` classes (cycled beyond 8)."""
    K = _check_count(K, "K")
    return [MARKERS[i % len(MARKERS)] for i in range(K)]


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
    return [Line2D([], [], linestyle="none", marker=markers[c], color=colors[c], markeredgecolor="0.1",
                   markersize=markersize, label=labels[c]) for c in range(K)]
