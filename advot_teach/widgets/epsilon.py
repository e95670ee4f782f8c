"""The eps-explorer: R*(eps), the optimal robust classifier, the conflict
hypergraph and the generalized barycenter of a labelled 2-D data set.

Everything that does not depend on the slider is done once per norm and
truncation order: the conflict hypergraph at ``eps_max`` and one linear
program per level of R* (:class:`~advot_teach.levels.RiskLevels`); a slider
move solves nothing.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import plots
from .._validation import check_data, check_eps, check_max_order, parse_norm
from ..geometry import pairwise_distances
from ..classifier import ClassifierGrid
from ..hypergraph import conflict_hypergraph
from ..levels import RiskLevels
from ..risk import Barycenter
from ._base import Explorer, check_flag, check_points, check_positive, checkbox, nice_floor, slider
from ._canvas import NearestImage

# Above this many hyperedges the default eps_max is lowered, so that the
# linear programs (one per level of R*) stay fast.
_EDGE_BUDGET = 10_000
# More alive conflicts than this are not drawn (they would cover everything).
_MAX_DRAWN_CONFLICTS = 600


def _default_eps_max(X, codes, norm):
    """Half the median distance between class means, capped so that the
    hypergraph has at most about ``_EDGE_BUDGET`` hyperedges."""
    means = np.stack([X[codes == c].mean(axis=0) for c in range(codes.max() + 1)])
    gaps = pairwise_distances(means, means, norm)[np.triu_indices(len(means), 1)]
    eps = max(float(np.median(gaps)) / 2, 1e-6)
    while True:
        try:
            hg = conflict_hypergraph(X, codes, eps, norm, max_hyperedges=8 * _EDGE_BUDGET)
            break
        except MemoryError:
            eps *= 0.7
    births = np.sort(np.concatenate([hg.birth[k] for k in hg.orders])) if hg.orders else np.zeros(0)
    if len(births) > _EDGE_BUDGET:
        eps = float(births[_EDGE_BUDGET])
    return nice_floor(eps)


def _risk_ylim(curve_risk):
    return -0.02, float(curve_risk.max()) * 1.08 + 0.03


class EpsilonExplorer(Explorer):
    """See :func:`epsilon_explorer`."""

    def __init__(self, X, y, *, norm=2, eps_max=None, max_order=None, weights=None, snap=False, eps=None,
                 resolution=160):
        import ipywidgets as widgets

        X, codes, classes, w = check_data(X, y, weights)
        check_points(X, "X")
        K = len(classes)
        if K < 2:
            raise ValueError(f"y must hold at least two classes to have conflicts; got {K}")
        norm = parse_norm(norm)
        max_order = check_max_order(max_order)
        if max_order is not None and max_order < 2:
            raise ValueError(f"max_order must be >= 2 (or None for exact); got {max_order}")
        order = K if max_order is None else min(max_order, K)
        snap = check_flag(snap, "snap")
        if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) or resolution < 10:
            raise ValueError(f"resolution must be an integer >= 10; got {resolution!r}")
        eps_max = _default_eps_max(X, codes, norm) if eps_max is None else check_positive(eps_max, "eps_max")
        eps = round(eps_max / 2, 3) if eps is None else check_eps(eps, allow_inf=False)
        if eps > eps_max:
            raise ValueError(f"eps must be <= eps_max = {eps_max}; got {eps}")

        self.X, self.codes, self.classes, self.weights = X, codes, classes, w
        self.eps_max, self.resolution = eps_max, int(resolution)
        self._levels, self._hypergraphs, self._level_cache = {}, {}, {}
        self.extent = plots.data_extent(X, margin=0.12)
        self._grid, self._grid_shape = plots.grid_points(self.extent, self.resolution)
        self._dual_image = ClassifierGrid(self._grid, self._grid_shape, X, codes, K, eps_max)
        self._unit_mass = float(np.mean(w))
        self._shared_only = len(X) > 30

        self.slider = slider("ε", eps, eps_max)
        self.snap = checkbox(snap, "snap to breakpoints")
        self.norm = widgets.Dropdown(options=[("ℓ2 (discs)", 2.0), ("ℓ∞ (squares)", np.inf), ("ℓ1 (diamonds)", 1.0)],
                                     value=norm, description="norm", layout=widgets.Layout(width="210px"))
        self.order = widgets.Dropdown(
            options=[(f"{L} (pairs)" if L == 2 else (f"{L} (exact)" if L == K else str(L)), L)
                     for L in range(2, K + 1)],
            value=order, description="order ≤",
            # two classes have only pairs: nothing to truncate
            layout=widgets.Layout(width="200px", display="none" if K == 2 else None))

        self._draw_static()
        self._finish([self.slider, self.snap, self.norm, self.order], observed=[self.snap, self.norm, self.order])

    # -- precomputation (cached per norm / order) ----------------------------
    @property
    def levels(self) -> RiskLevels:
        """The exact R* levels for the current norm and order."""
        key = (self.norm.value, self.order.value)
        if key not in self._levels:
            norm, order = key
            if norm not in self._hypergraphs:
                self._hypergraphs[norm] = conflict_hypergraph(self.X, self.codes, self.eps_max, norm)
            hg = self._hypergraphs[norm]
            if order < len(self.classes):
                hg = hg.restrict(self.eps_max, order)
            self._levels[key] = RiskLevels(self.X, self.codes, self.weights, hg, self.eps_max)
        return self._levels[key]

    @property
    def breakpoints(self) -> np.ndarray:
        """The eps values where R* jumps (the snap stops besides 0)."""
        return self.levels.jumps()

    def _snap_stops(self):
        return np.concatenate([[0.0], self.levels.jumps()])

    def _cached(self, name, build):
        key = (name, self.norm.value, self.order.value)
        if key not in self._level_cache:
            self._level_cache[key] = build()
        return self._level_cache[key]

    def _conflict_geometry(self):
        """Segments / polygons of all hyperedges, sorted by birth state."""
        def build():
            levels = self.levels
            pairs = levels.hg.edges.get(2, np.zeros((0, 2), dtype=int))
            prank = levels.rank.get(2, np.zeros(0, dtype=int))
            order = np.argsort(prank, kind="stable")
            segments = self.X[pairs[order]] if len(pairs) else np.zeros((0, 2, 2))
            polys, pranks = [], []
            for k in levels.orders:
                if k >= 3:
                    polys += plots.hyperedge_geometry(self.X, levels.hg.edges[k])[1]
                    pranks.append(levels.rank[k])
            pranks = np.concatenate(pranks) if pranks else np.zeros(0, dtype=int)
            porder = np.argsort(pranks, kind="stable")
            return segments, prank[order], [polys[i] for i in porder], pranks[porder]
        return self._cached("conflicts", build)

    def _level_drawing(self, level):
        """Barycenter of a level and the hyperedges it merges."""
        def build():
            levels = self.levels
            state = int(np.argmax(levels.level_of_state == level))
            bary = levels.barycenter(levels.state_eps(state))
            segments, polygons = plots.hyperedge_geometry(self.X, [m for m in bary.members if len(m) >= 2])
            return bary, segments, polygons
        return self._cached(("level", level), build)

    def _classifier(self, level, eps):
        """The optimal robust classifier of ``level`` at eps on the pixel grid,
        shape (resolution, resolution, K) (see :class:`~advot_teach.classifier.ClassifierGrid`)."""
        return self._dual_image.proba(self.levels.level_dual(level), eps, self.norm.value)

    # -- drawing -------------------------------------------------------------
    def _draw_static(self):
        with self._style():
            ax, legend_ax, cax = self._panels(map=5.2, curve=4.3, height=0.96, legend=True)
            self._static_ax, self._static_curve_ax = ax, cax
            legend_ax.axis("off")
            self._frame_map(ax, self.extent)
            ax.set_title("conflicts")  # placeholder: the live title has the counts
            # legend handles: throw-away artists in the (hidden) data axes
            conflicts = plots.draw_hyperedges(ax, self.X, [], linewidth=0.8, alpha=0.5, label="conflict")
            merged = plots.draw_hyperedges(ax, self.X, [], color="black", linewidth=1.8, alpha=0.9,
                                           label="merged pair")
            atoms = ax.scatter([], [], s=130, marker="*", c="white", edgecolors="black", linewidths=0.9,
                               label="barycenter atom")
            rings = ax.scatter([], [], s=60, facecolors="none", edgecolors="0.25", linewidths=0.7,
                               label="unshared mass")
            merged["polygons"].set_label("merged triple")
            # the marks that come and go with eps, in legend order (see _legends)
            self._mark_handles = [conflicts["pairs"], merged["pairs"], merged["polygons"], atoms, rings]
            self._legend_ax, self._shown, self._legend_artists = legend_ax, None, []
            curve_eps, curve_risk = self.levels.curve()
            self._static_curve = plots.draw_risk_curve(cax, curve_eps, curve_risk)
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(*_risk_ylim(curve_risk))
            cax.grid(alpha=0.3)
            self._label_curve(cax, self.order.value)

    def _label_curve(self, cax, order):
        """Title and y-label of the risk curve: R* when exact, R*_L when truncated."""
        if order >= len(self.classes):
            cax.set_ylabel(r"$R^*(\varepsilon)$")
            cax.set_title("optimal adversarial risk (exact)")
        else:
            cax.set_ylabel(rf"$R^*_{{{order}}}(\varepsilon)$")
            cax.set_title(f"lower bound $R^*_{{{order}}}$ (order {order})")

    def _draw_live(self):
        K = len(self.classes)
        eps = self.slider.value
        ax = self.ax = self._live_axes(self._static_ax, frame=True)
        self._static_ax.set_visible(False)  # the live axes draws its own frame and title
        self.curve_ax = cax = self._live_axes(self._static_curve_ax)
        self.artists = {
            "partition": plots.draw_partition(ax, np.zeros((*self._grid_shape, K)), self.extent, self.classes,
                                              legend=False),
            "balls": plots.draw_balls(ax, self.X, eps, self.norm.value, y=self.codes, classes=np.arange(K)),
            "conflicts": plots.draw_hyperedges(ax, self.X, [], linewidth=0.6, alpha=0.35),
            "merged": plots.draw_hyperedges(ax, self.X, [], color="black", linewidth=1.6, alpha=0.9,
                                            label="merged by the barycenter", zorder=3),
            "barycenter": plots.draw_barycenter(
                ax, Barycenter(np.zeros((0, 2)), np.zeros(0), []), unit_mass=self._unit_mass,
                shared_only=self._shared_only),
            "data": plots.draw_data(ax, self.X, self.codes, classes=np.arange(K), legend=False,
                                    size=40 if len(self.X) <= 100 else 24),
        }
        # drawn by a numpy lookup instead of Agg's resampler (about 10x faster)
        self.artists["partition"]["image"] = NearestImage.replacing(self.artists["partition"]["image"])
        # a plain text where the title goes: cheaper to redraw than an axes title
        title = self._static_ax.title
        self._title = ax.text(*title.get_position(), " ", transform=title.get_transform(), ha="center",
                              va="baseline", fontsize=title.get_fontsize())
        self.artists["curve"] = self._curve_marker(cax, eps, "#D55E00")
        self._curve_key = (self.norm.value, self.order.value)
        self._drawn = {}  # what the live conflict and barycenter artists show (see _update)

    def _legends(self, marks, categories):
        """Both legends list only what the picture shows now: the data legend
        the classes and the ``marks`` that are drawn (flags for the eps-balls,
        conflicts, merged pairs, merged triples, barycenter atoms, unshared mass), the
        classifier legend the map's ``categories``
        (:func:`~advot_teach.plots.partition_categories`).  Rebuilt, and
        the backdrop switched to that variant, only when that changes."""
        norm = self.norm.value
        shown = (tuple(marks), norm, categories)
        if shown == self._shown:
            return
        sure, hedging, free = categories
        balls, *marks = marks
        for artist in self._legend_artists:
            artist.remove()
        style = dict(frameon=False, borderaxespad=0, alignment="left", handlelength=1.6)
        with self._style():
            data = self._legend_ax.legend(
                handles=[*plots.class_legend_handles(self.classes),
                         *([plots.ball_legend_handle(norm)] if balls else []),
                         *(h for h, on in zip(self._mark_handles, marks) if on)],
                loc="upper left", title="data", **style)
            self._legend_ax.add_artist(data)
            self._map_legend_artist = self._legend_ax.legend(
                handles=plots.partition_legend_handles(self.classes, sure=sure, hedging=hedging, undecided=free),
                loc="lower left", title="robust classifier", **style)
        self._legend_artists = [data, self._map_legend_artist]
        self._shown = shown
        if hasattr(self, "_backdrop"):
            self._backdrop.select(shown)

    def _update(self):
        levels = self.levels
        eps = self._snapped_value()
        norm, order = self.norm.value, self.order.value
        a = self.artists
        if (norm, order) != self._curve_key:  # the static curve changes only with norm / order
            curve_eps, curve_risk = levels.curve()
            self._static_curve["curve"].set_data(curve_eps, curve_risk)
            up = np.nonzero(np.diff(curve_risk) > 1e-12)[0] + 1
            self._static_curve["jumps"].set_data(curve_eps[up], curve_risk[up])
            for axis in (self._static_curve_ax, self.curve_ax):
                axis.set_ylim(*_risk_ylim(curve_risk))
            with self._style():
                self._label_curve(self._static_curve_ax, order)
            self._backdrop.invalidate()
            self._curve_key = (norm, order)
        risk = levels.risk(eps)
        level = levels.level(eps)
        self._move_curve_marker(eps, risk)
        plots.update_balls(a["balls"], eps, norm)
        # conflicts alive at eps: a prefix of the hyperedges sorted by birth
        segments, seg_rank, polygons, poly_rank = self._conflict_geometry()
        state = levels.state(eps)
        n_pairs = int(np.searchsorted(seg_rank, state, side="right"))
        n_larger = int(np.searchsorted(poly_rank, state, side="right"))
        drawn = n_pairs + n_larger <= _MAX_DRAWN_CONFLICTS
        # conflicts and barycenter change only with the state and the level:
        # rebuilding their paths every move would cost several ms
        if self._drawn.get("conflicts") != (norm, order, n_pairs, n_larger):
            a["conflicts"]["pairs"].set_segments(segments[:n_pairs] if drawn else [])
            a["conflicts"]["polygons"].set_verts(polygons[:n_larger] if drawn else [])
            self._drawn["conflicts"] = (norm, order, n_pairs, n_larger)
        bary, merged_segments, merged_polygons = self._level_drawing(level)  # cached per level
        if self._drawn.get("level") != (norm, order, level):
            a["merged"]["pairs"].set_segments(merged_segments)
            a["merged"]["polygons"].set_verts(merged_polygons)
            plots.update_barycenter(a["barycenter"], bary, unit_mass=self._unit_mass,
                                    shared_only=self._shared_only)
            self._drawn["level"] = (norm, order, level)
        proba = self._classifier(level, eps)
        a["partition"]["image"].set_data(plots.proba_to_rgb(proba))
        marks = (eps > 0, drawn and n_pairs + n_larger > 0, len(merged_segments) > 0, len(merged_polygons) > 0,
                 len(a["barycenter"]["shared"].get_offsets()) > 0, len(a["barycenter"]["single"].get_offsets()) > 0)
        self._legends(marks, plots.partition_categories(proba))
        words = _count(n_pairs, "conflicting pair") + (
            f", {_count(n_larger, 'larger set')}" if len(self.classes) > 2 else "")
        self._title.set_text(words + ("" if drawn else " (too many to draw)"))
        self.eps, self.risk = eps, risk
        exact = order >= len(self.classes)
        text = f"eps = {eps:.3f} | " + (f"R* = {risk:.4f}" if exact else f"R*_{order} = {risk:.4f} (lower bound)")
        self._set_readout(text, eps=eps, risk=risk, order=order, exact=exact, norm=norm)


def _count(n, noun):
    """``"1 conflicting pair"``, ``"2 conflicting pairs"``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def epsilon_explorer(X, y, *, norm=2, eps_max=None, max_order=None, weights=None, snap=False, eps=None):
    """Explore R*(eps) with a slider: data, eps-balls, conflicts, barycenter,
    the optimal robust classifier and the exact R* curve.

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Points in the plane.
    y : array_like, shape (n,)
        Labels (two or more classes).
    norm : {2, np.inf, 1, "l2", "linf", "l1"}
        Initial norm of the balls (a dropdown changes it).
    eps_max : float, optional
        Right end of the slider.  Default: half the median distance between
        class means, lowered if the hypergraph would exceed about 10 000
        hyperedges (each level of R* costs one LP on it).
    max_order : int, optional
        Initial truncation order L (a dropdown changes it): R*_L is a lower
        bound.  Default: exact.
    weights : array_like, shape (n,), optional
        Point weights (default uniform).
    snap : bool
        Start with "snap to breakpoints" on: the slider jumps to the nearest
        eps where R* jumps (or 0).
    eps : float, optional
        Where the slider starts (default ``eps_max / 2``).  Better than
        setting ``.slider.value`` before the explorer is shown: its first
        picture is already at this eps.

    Returns
    -------
    EpsilonExplorer
        ``.slider`` (FloatSlider), ``.fig`` (Figure), ``.widget`` (layout),
        ``.readout`` (HTML, text like ``eps = 0.350 | R* = 0.4167``),
        ``.snap``, ``.norm``, ``.order`` (controls), ``.levels``
        (:class:`RiskLevels`), ``.breakpoints``.  Put it last in a cell to
        display it.

    Examples
    --------
    >>> from advot_teach import datasets
    >>> X, y = datasets.triangle()
    >>> ex = epsilon_explorer(X, y, eps_max=0.7)
    >>> ex.slider.value = 0.55
    >>> ex.readout_text
    'eps = 0.550 | R* = 0.5000'
    """
    return EpsilonExplorer(X, y, norm=norm, eps_max=eps_max, max_order=max_order, weights=weights, snap=snap,
                           eps=eps)
