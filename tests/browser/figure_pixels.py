"""Read text sizes off a rendered figure (pixels only, no browser needed).

Used by the projector check of the lecture app: the size of tick labels as
the audience sees them, measured on a screenshot of the figure at 100 % zoom.
"""
from __future__ import annotations

import numpy as np

#: Height of a digit in DejaVu Sans (matplotlib's default font), in em:
#: 1493 / 2048 font units.
DIGIT_EM = 1493 / 2048


def _runs(row: np.ndarray):
    """(start, stop) of the runs of True in a 1-D boolean array."""
    padded = np.concatenate([[False], row, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


def x_tick_label_px(rgb, *, min_spine=0.15, dark=200) -> list[float]:
    """Font size (pixels) of the x tick labels under every horizontal axis line.

    An axis line is a row whose longest run of dark pixels spans at least
    ``min_spine`` of the image width.  Tick marks hang from it (short, thin
    components touching it); at least three of them, each with text right
    under it, make it an x axis.  The tallest glyph of each label under a
    tick (a digit: the labels are numbers), measured to a fraction of a
    pixel from its antialiased edges and divided by :data:`DIGIT_EM`, is the
    font size in pixels; the median over the labels is returned.

    Parameters
    ----------
    rgb : array_like, shape (h, w, 3) or (h, w, 4)
        The figure as seen (e.g. a screenshot of its canvas).

    Returns
    -------
    list of float
        One font size per x axis with tick labels, top to bottom.
    """
    from scipy import ndimage

    img = np.asarray(rgb)[..., :3].astype(float).mean(axis=-1)
    mask = img < dark
    ink = np.clip(1.0 - img / 255.0, 0.0, 1.0)
    h, w = mask.shape
    sizes, r = [], 0
    while r < h:
        runs = [(a, b) for a, b in _runs(mask[r]) if b - a >= min_spine * w]
        if not runs:
            r += 1
            continue
        last = r
        for x0, x1 in runs:  # e.g. a map's frame and a curve's axis side by side
            r1 = r  # the line may be a few pixels thick
            while r1 + 1 < h and mask[r1 + 1, x0:x1].mean() > 0.9:
                r1 += 1
            rows = slice(r1 + 1, min(h, r1 + 1 + 150))
            size = _labels_under(mask[rows, x0:x1], ink[rows, x0:x1], ndimage)
            if size is not None:
                sizes.append(size)
            last = max(last, r1)
        r = last + 1
    return sizes


def _glyph_height(ink, box):
    """Height of a glyph in pixels, to a fraction of a pixel: the rows of its
    box weighted by how much ink their darkest pixel has (antialiased top
    and bottom rows count in part)."""
    profile = ink[box].max(axis=1)
    return float(profile.sum() / max(profile.max(), 1e-9))


def _labels_under(band, ink, ndimage):
    """Font size of the tick labels hanging from the top of ``band``, or None."""
    labels, _ = ndimage.label(band)
    boxes = [s for s in ndimage.find_objects(labels) if s is not None]
    ticks = [s for s in boxes if s[0].start == 0 and s[1].stop - s[1].start <= 4
             and s[0].stop - s[0].start <= 25]
    glyphs = [s for s in boxes if s[0].start > 0]
    if len(ticks) < 3 or not glyphs:
        return None
    heights = []
    for t in ticks:
        centre = (t[1].start + t[1].stop) / 2
        below = [g for g in glyphs if g[0].start <= 60
                 and abs((g[1].start + g[1].stop) / 2 - centre) <= 40]
        if not below:
            continue
        top = min(g[0].start for g in below)
        line = [g for g in below if g[0].start <= top + 3]
        heights.append(max(_glyph_height(ink, g) for g in line))
    if len(heights) < 3:
        return None
    return float(np.median(heights)) / DIGIT_EM
