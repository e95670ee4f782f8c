"""Drawing functions for the course: one consistent look, no solving.

Every function draws on a given :class:`matplotlib.axes.Axes` and returns the
artists it created, so that the eps-slider widgets can update them in place
(``set_offsets``, ``set_verts``, ``set_segments``, ``set_data``) instead of
re-drawing the figure.  The small geometry helpers they use
(:func:`ball_polygons`, :func:`hyperedge_geometry`, :func:`proba_to_rgb`,
:func:`atom_sizes`) are public for the same reason.

One meaning per colour.  Class colours come from the Okabe-Ito palette
(distinguishable with the common forms of colour blindness) and every class
also has its own marker.  The classifier map is the only filled layer: each
class at a grey level of its own (:func:`class_map_colors`), stripes where
the classifier hedges, light grey where any label is optimal; eps-balls and
hyperedges are outlines.  So the figures read in greyscale.

=========================  ===================================================
:func:`class_colors`       the course's colour for each of K classes
:func:`class_markers`      the course's marker for each of K classes
:func:`draw_data`          labelled points (one scatter per class)
:func:`draw_balls`         eps-balls: circles (l2), squares (linf), diamonds (l1)
:func:`draw_hyperedges`    conflict pairs as segments, triples+ as polygons
:func:`draw_barycenter`    atoms of the generalized barycenter, area ~ mass
:func:`draw_partition`     a (probabilistic) classifier: class colours, stripes
                           where it hedges, grey where it is free
:func:`draw_risk_curve`    R*(eps) as a step function
:func:`draw_result`        all of the above for an ``AdversarialRiskResult``
=========================  ===================================================

Layout: :mod:`.style` (palette, markers, class legend), :mod:`.shapes` (ball
outlines, hyperedge geometry), :mod:`.data` (points, balls, hyperedges,
barycenter atoms), :mod:`.partition` (colour mixing, classifier image),
:mod:`.curves` (risk curve), :mod:`.result` (everything for one result).
"""
from __future__ import annotations

from .curves import draw_risk_curve, step_value
from .data import (atom_sizes, ball_legend_handle, draw_balls, draw_barycenter, draw_data, draw_hyperedges,
                   update_balls, update_barycenter)
from .partition import (data_extent, draw_partition, dual_classifier_proba, grid_points, partition_categories,
                        partition_legend_handles, proba_to_rgb, result_proba, stripe_period)
from .result import draw_result
from .shapes import ball_polygons, ball_shape, hyperedge_geometry
from .style import MARKERS, PALETTE, class_colors, class_legend_handles, class_map_colors, class_markers, luma

__all__ = [
    "PALETTE",
    "MARKERS",
    "class_colors",
    "class_markers",
    "class_map_colors",
    "luma",
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
    "partition_categories",
    "stripe_period",
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
    "ball_legend_handle",
]
