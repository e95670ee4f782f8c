"""Slider explorers: the course's solvers wired to its plots.

Each explorer is a small object with a matplotlib figure, ipywidgets controls
and a readout.  Moving a slider (in the browser, or by setting
``explorer.slider.value`` in code) updates the figure *in place*: the figure
is built once, and every move only changes the data of existing artists and
asks the canvas to redraw.

=============================  ==============================================
:func:`epsilon_explorer`       R*(eps), the optimal robust classifier, the
                               conflict hypergraph and the generalized
                               barycenter of a labelled 2-D data set
:func:`attack_explorer`        a trained model's decision regions and its
                               PGD/FGSM adversarial examples as eps grows
:func:`coupling_explorer`      which pairs of two clouds are within eps, and
                               a coupling that moves no mass farther (W_inf)
:func:`barycenter_explorer`    McCann's displacement interpolation, t-slider
:func:`set_zoom`               presentation mode: explorers made afterwards
                               are drawn larger (text too), still page-wide
=============================  ==============================================

How an explorer stays fast and still looks like one figure:

* Work that does not depend on the slider is done once.  For
  :func:`epsilon_explorer` that is the conflict hypergraph at ``eps_max``,
  its breakpoints and one linear program per *level* of the step function
  R*(eps) (see :class:`advot_teach.levels.RiskLevels`): the R* curve is exact at every
  breakpoint and a slider move solves nothing.
* Everything that never moves (legends, axes, tick labels, curves) lives in
  a second, *static* figure that is rendered once per resolution and pasted
  under the live figure as one image; a redraw renders only what moves.
  Text is by far the slowest thing matplotlib draws.
* A move renders the live figure with matplotlib's Agg canvas and sends the
  browser only the rectangles that changed, at once (no round trip); while
  the kernel draws, the browser holds later moves and sends only the latest.
  The first frame is part of the widget's state, so it shows as soon as the
  cell has run.  The figure is laid out for the width the page gives it:
  map and curve side by side when they fit, stacked otherwise.
* Never pyplot, so a notebook running ``%matplotlib inline`` keeps its
  static figures.  Displaying an explorer gives the live widget *and* a PNG
  of the figure with a one-line hint; static viewers (GitHub, a notebook
  whose widget state was stripped) show the PNG.
* Keyboard and screen readers: the figure never takes focus (Tab passes
  by); each slider has an accessible name; the readout is announced
  (``aria-live="polite"``) and carries its numbers as ``data-*``
  attributes.

Modules: ``epsilon``, ``attack``, ``coupling``, ``barycenter`` (one explorer
each), ``_base`` (the shared explorer class, its layout and input checks),
``_canvas`` (the browser views, frames, the static backdrop; their scripts
are in ``static/``).  What they show is computed in the solver layer:
:mod:`advot_teach.levels` (the exact R* levels),
:mod:`advot_teach.classifier` (the robust classifier on a pixel grid),
:func:`advot_teach.transport.eps_couplings` (couplings within eps).
"""
from __future__ import annotations

from ._base import READOUT_CLASS, STATIC_HINT, set_zoom
from .attack import AttackExplorer, attack_explorer
from .barycenter import BarycenterExplorer, barycenter_explorer
from .coupling import CouplingExplorer, coupling_explorer
from .epsilon import EpsilonExplorer, epsilon_explorer
from ..levels import RiskLevels  # re-exported: it used to live here

__all__ = [
    "epsilon_explorer",
    "attack_explorer",
    "coupling_explorer",
    "barycenter_explorer",
    "EpsilonExplorer",
    "AttackExplorer",
    "CouplingExplorer",
    "BarycenterExplorer",
    "RiskLevels",
    "set_zoom",
    "READOUT_CLASS",
    "STATIC_HINT",
]
