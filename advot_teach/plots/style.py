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

# Pixels of the partition image are mixed with white so that points drawn on
# top stay visible: 0 keeps the pure class colour, 1 is white.
_LIGHTEN = 0.45
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
