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
=============================  ==============================================

How an explorer stays fast and still looks like one figure:

* Work that does not depend on the slider is done once.  For
  :func:`epsilon_explorer` that is the conflict hypergraph at ``eps_max``,
  its breakpoints and one linear program per *level* of the step function
  R*(eps) (see :class:`RiskLevels`): the R* curve is exact at every
  breakpoint and a slider move solves nothing.
* Everything that never moves (legends, axes, tick labels, curves) lives in
  a second, *static* figure that is rendered once per resolution and pasted
  under the live figure as one image (:class:`_Backdrop`); a redraw renders
  only what moves.  Text is by far the slowest thing matplotlib draws.
* Live figures use ipympl's widget canvas but never pyplot, so a notebook
  running ``%matplotlib inline`` keeps its static figures.  Displaying an
  explorer gives the live widget *and* a PNG of the figure with a one-line
  hint; static viewers (GitHub, a notebook whose widget state was stripped)
  show the PNG.  Without ipympl the explorer falls back to an Image widget.
"""
from __future__ import annotations

import base64
import contextlib
import html
import io
import numbers
import types
import warnings

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import plots
from ._validation import check_data, check_eps, check_max_order, parse_norm
from .geometry import TOL, pairwise_distances
from .hypergraph import Hypergraph, conflict_hypergraph
from .risk import Barycenter, solve_hypergraph_lp

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
    "READOUT_CLASS",
    "STATIC_HINT",
]

#: CSS class of every explorer's readout (browser tests look for it).
READOUT_CLASS = "advot-risk-readout"
#: Shown with the static PNG where widgets cannot run.
STATIC_HINT = "Run this notebook in JupyterLab for the live {name}-slider"

_DPI = 100
_FONT = {"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12.5, "legend.fontsize": 11,
         "legend.title_fontsize": 11.5, "xtick.labelsize": 11, "ytick.labelsize": 11}
# Above this many hyperedges the default eps_max is lowered, so that the
# linear programs (one per level of R*) stay fast.
_EDGE_BUDGET = 10_000
# LP solutions are accurate to about 1e-9; a dual constraint counts as
# violated only beyond this.
_DUAL_SLACK = 1e-7
_MASS_FLOOR = 1e-12
# More alive conflicts than this are not drawn (they would cover everything).
_MAX_DRAWN_CONFLICTS = 600


# ============================================================== canvas


def _ipympl_backend():
    """ipympl's backend module, or None when ipympl is not installed.

    ``import ipympl`` calls ``matplotlib.use("module://ipympl...")`` when
    matplotlib is already imported, which would switch a ``%matplotlib
    inline`` notebook to widget figures (and close its pyplot figures);
    ``matplotlib.use`` is therefore disabled during the import.
    """
    import matplotlib

    use = matplotlib.use
    matplotlib.use = lambda *args, **kwargs: None
    try:
        import ipympl.backend_nbagg as backend
    except ImportError:
        return None
    finally:
        matplotlib.use = use
    return backend


@contextlib.contextmanager
def _not_interactive():
    # In interactive mode ipympl queues new figures for display after the
    # cell; the explorer displays its own layout instead.
    import matplotlib

    was = matplotlib.is_interactive()
    matplotlib.interactive(False)
    try:
        yield
    finally:
        matplotlib.interactive(was)


def _attach_canvas(fig, width_px, height_px):
    """Give ``fig`` a canvas: ipympl's widget canvas if possible, else Agg.

    Returns
    -------
    view : ipywidgets.Widget
        What to put in the layout: the ipympl canvas, or an Image widget
        that the fallback refreshes with a PNG after every update.
    live : bool
        True for the ipympl canvas.
    """
    import ipywidgets as widgets

    backend = _ipympl_backend()
    if backend is not None:
        with _not_interactive(), warnings.catch_warnings():
            # ipympl 0.10's toolbar passes its canvas on to traitlets, which warns
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="traitlets")
            manager = backend.new_figure_manager_given_figure(id(fig), fig)
        canvas = manager.canvas
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        canvas.capture_scroll = False
        # ipympl keeps a second PNG of every frame for embedding until a
        # frontend connects; our own static fallback makes it unnecessary.
        canvas.syncing_data_url = False
        if all(hasattr(canvas, name) for name in ("_png_is_old", "_force_full", "_last_buff", "set_image_mode")):
            canvas.get_diff_image = types.MethodType(_fast_diff_image, canvas)
        canvas.layout = widgets.Layout(width=f"{width_px}px", height=f"{height_px}px")
        return canvas, True
    FigureCanvasAgg(fig)
    return widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px")), False


def _fast_diff_image(canvas):
    """matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` with a fast PNG.

    The frame that ipympl sends after every redraw is a PNG of the pixels
    that changed; zlib level 1 instead of 6 encodes it about 1.5x faster for
    a slightly larger message (it goes to a local browser).
    """
    from PIL import Image

    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    buff = pixels.view(np.uint32).squeeze(2)
    if canvas._force_full or buff.shape != canvas._last_buff.shape or (pixels[:, :, 3] != 255).any():
        canvas.set_image_mode("full")
        output = buff
    else:
        canvas.set_image_mode("diff")
        output = np.where(buff != canvas._last_buff, buff, 0)
    canvas._last_buff = buff.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    with io.BytesIO() as png:
        Image.fromarray(output.view(dtype=np.uint8).reshape((*output.shape, 4))).save(
            png, format="png", compress_level=1)
        return png.getvalue()


class _Backdrop(Artist):
    """The static figure, rendered once per dpi and drawn as one image.

    It sits under everything else in the live figure.  Rendering happens
    on a separate figure and canvas, so it is safe inside a draw of the live
    figure (e.g. when ipympl changes the dpi for a HiDPI screen).
    """

    def __init__(self, static_fig, rc):
        super().__init__()
        self.static_fig = static_fig
        self._rc = rc
        self._cache = {}
        self.set_zorder(-100)

    def invalidate(self):
        """Forget the rendered image (after the static figure changed)."""
        self._cache.clear()
        self.stale = True

    def image(self, dpi):
        if dpi not in self._cache:
            import matplotlib

            with matplotlib.rc_context(self._rc):
                self.static_fig.set_dpi(dpi)
                self.static_fig.canvas.draw()
            self._cache = {dpi: np.asarray(self.static_fig.canvas.buffer_rgba())[::-1].copy()}
        return self._cache[dpi]

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.image(self.figure.dpi))
        gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None):
        return self.figure.bbox

    def get_tightbbox(self, renderer=None):
        return self.figure.bbox


# ============================================================== shared base


class _Explorer:
    """Static figure + live figure + controls + readout; static PNG fallback.

    A subclass builds its static content in ``self.static_fig`` (laid out
    once by constrained layout), then calls :meth:`_finish`, which freezes
    that layout, calls the subclass's ``_draw_live()`` (live artists on axes
    made with :meth:`_live_axes`) and wires the controls.  ``_update()``
    changes the live artists' data for the current control values and sets
    the readout.
    """

    _slider_name = "eps"

    def _new_figures(self, figsize):
        import ipywidgets as widgets

        self._rc = dict(_FONT)
        self.static_fig = Figure(figsize=figsize, dpi=_DPI, layout="constrained")
        FigureCanvasAgg(self.static_fig)
        self.fig = Figure(figsize=figsize, dpi=_DPI)
        self.readout = widgets.HTML(value="").add_class(READOUT_CLASS)
        self._readout_text = ""
        self._updating = False
        self.widget = None
        return self.static_fig

    def _style(self):
        import matplotlib

        return matplotlib.rc_context(self._rc)

    def _live_axes(self, static_ax, *, frame=False):
        """An axes of the live figure exactly over ``static_ax``.

        Same position (after aspect adjustment) and limits; no decorations
        unless ``frame`` (then only the spines, drawn live above images).
        """
        ax = self.fig.add_axes(static_ax.get_position(original=False))
        ax.set_xlim(static_ax.get_xlim())
        ax.set_ylim(static_ax.get_ylim())
        ax.set_xticks([])
        ax.set_yticks([])
        if not frame:
            ax.axis("off")
        return ax

    def _finish(self, controls, observed=()):
        """Lay out, build the live layer, attach the canvas, wire controls."""
        import ipywidgets as widgets

        with self._style():
            self.static_fig.canvas.draw()  # one constrained-layout pass
            self.static_fig.set_layout_engine("none")
            self._draw_live()
        self._backdrop = _Backdrop(self.static_fig, self._rc)
        self.fig.add_artist(self._backdrop)
        w, h = (int(round(v * _DPI)) for v in self.fig.get_size_inches())
        self.view, self.live = _attach_canvas(self.fig, w, h)
        bar = widgets.HBox(list(controls), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = widgets.VBox([bar, self.readout, self.view])
        self._controls = list(controls)
        for control in [self.slider, *observed]:
            control.observe(self._on_change, names="value")
        self._refresh()

    # -- updates ---------------------------------------------------------
    def _on_change(self, change):
        # Changes made by _update itself (snapping the slider) arrive while
        # _updating is set and are ignored.
        if not self._updating:
            self._refresh()

    def _refresh(self):
        """Update artists and readout for the current controls, then redraw."""
        self._updating = True
        try:
            with self._style():
                self._update()
        finally:
            self._updating = False
        if self.live:
            self.fig.canvas.draw_idle()
        else:
            self.view.value = self.to_png()

    def _snapped_value(self):
        """The slider value, moved to the nearest of ``_snap_stops()`` when the
        snap checkbox is ticked (the slider follows; the change it triggers
        arrives while ``_updating`` is set and is ignored)."""
        value = float(self.slider.value)
        snap = getattr(self, "snap", None)
        if snap is not None and snap.value:
            stops = self._snap_stops()
            value = float(stops[np.argmin(np.abs(stops - value))])
            if value != self.slider.value:
                self.slider.value = value
        return value

    def _draw_live(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _set_readout(self, text):
        self._readout_text = text
        self.readout.value = (
            '<span style="font-family: monospace; font-size: 1.3em; font-weight: 600">'
            f"{html.escape(text)}</span>"
        )

    @property
    def readout_text(self) -> str:
        """The readout as plain text, e.g. ``"eps = 0.350 | R* = 0.4167"``."""
        return self._readout_text

    # -- display ---------------------------------------------------------
    @property
    def hint(self) -> str:
        """One line shown with the static picture."""
        return STATIC_HINT.format(name=self._slider_name)

    def to_png(self, dpi=None, *, hint=False) -> bytes:
        """The figure as it is now, as PNG bytes.

        ``hint=True`` adds a strip below it with the readout and
        :attr:`hint` (what static viewers show).
        """
        from PIL import Image

        dpi = dpi or _DPI
        with self._style():
            frame = _render_rgba(self.fig, dpi)
            if hint:
                strip = Figure(figsize=(self.fig.get_figwidth(), 0.34), dpi=dpi)
                FigureCanvasAgg(strip)
                strip.text(0.5, 0.5, f"{self.readout_text}    ({self.hint})", ha="center", va="center",
                           fontsize=11, color="0.3", style="italic")
                frame = np.concatenate([frame, _render_rgba(strip, dpi)[:, :frame.shape[1]]], axis=0)
        buf = io.BytesIO()
        Image.fromarray(frame).save(buf, format="png")
        return buf.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        data = {}
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        data.update(bundle or {})
        data["text/plain"] = self.hint
        data["image/png"] = base64.b64encode(self.to_png(hint=True)).decode("ascii")
        return data

    def close(self):
        """Close every widget of the explorer (the figure is then garbage)."""
        for w in [*self._controls, self.readout, self.view, self.widget]:
            w.close()


def _render_rgba(fig, dpi):
    """Render ``fig`` at ``dpi`` into an RGBA array (savefig detaches the
    canvas manager while printing, so a live view gets no resize message)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    width, height = (int(round(v * dpi)) for v in fig.get_size_inches())
    return np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(height, width, 4)


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__}")
    return bool(value)


def _check_points(X, name):
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers with shape (n, 2)") from None
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"{name} must be 2-D data with shape (n, 2), n >= 1, to be explored; got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite; it holds NaN or infinite values")
    return X


def _check_positive(value, name):
    value = check_eps(value, name)
    if not 0 < value < np.inf:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    return value


def _nice_floor(x):
    """Round down to two significant digits (a clean slider end)."""
    scale = 10 ** (np.floor(np.log10(x)) - 1)
    return float(np.floor(x / scale) * scale)


def _slider(description, value, vmax, steps=500, fmt=".3f", vmin=0.0):
    import ipywidgets as widgets

    return widgets.FloatSlider(
        value=value, min=vmin, max=vmax, step=(vmax - vmin) / steps, description=description,
        readout_format=fmt, continuous_update=True, layout=widgets.Layout(width="440px"),
    )


# ============================================================== R* levels


class RiskLevels:
    """R*(eps) on [0, eps_max] with an optimal primal-dual pair for every eps.

    Let b_1 < b_2 < ... < b_B be the breakpoints (birth radii) and call
    *state* s the set of hyperedges born at b_1, ..., b_s (eps in
    [b_s, b_{s+1})).  Solving the barycenter LP in state s gives a primal z
    and a dual q with the same value.  z only uses hyperedges born by some
    state lo <= s, so it is feasible (hence optimal) for every state >= lo;
    q satisfies every hyperedge constraint up to some state hi >= s, so it
    is feasible (hence optimal) for every state <= hi.  The value is
    therefore constant on states lo..hi and (z, q) is optimal there.
    Bisecting over the states left uncovered needs about one LP per level
    of the step function instead of one per breakpoint.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    codes : ndarray of int, shape (n,)
    weights : ndarray, shape (n,)
    hypergraph : Hypergraph
        Built at ``eps_max`` (already truncated to ``max_order``).
    eps_max : float

    Attributes
    ----------
    breakpoints : ndarray, shape (B,)
    level_of_state : ndarray of int, shape (B + 1,)
    values : list of float
        B* of each level.
    n_solves : int
        Number of LPs solved.
    """

    def __init__(self, X, codes, weights, hypergraph: Hypergraph, eps_max: float):
        self.X, self.codes, self.weights = X, codes, weights
        self.hg, self.eps_max = hypergraph, float(eps_max)
        self.breakpoints = hypergraph.breakpoints()
        self.orders = hypergraph.orders
        # rank = number of breakpoints <= birth: the state in which an edge is born.
        self.rank = {k: np.searchsorted(self.breakpoints, hypergraph.birth[k], side="right")
                     for k in self.orders}
        B = len(self.breakpoints)
        self.level_of_state = np.full(B + 1, -1, dtype=np.intp)
        self.values, self._z, self._q = [], [], []
        self.n_solves = 0
        pending = [(0, B)]
        while pending:
            a, b = pending.pop()
            if a > b:
                continue
            s = (a + b) // 2
            lo, hi = self._solve_state(s)
            lo, hi = max(lo, a), min(hi, b)
            self.level_of_state[lo:hi + 1] = len(self.values) - 1
            pending += [(a, lo - 1), (hi + 1, b)]

    def _solve_state(self, s):
        n = self.hg.n
        alive = {k: self.rank[k] <= s for k in self.orders}
        sub = Hypergraph(n, self.state_eps(s),
                         {k: self.hg.edges[k][alive[k]] for k in self.orders},
                         {k: self.hg.birth[k][alive[k]] for k in self.orders},
                         {k: self.hg.centre[k][alive[k]] for k in self.orders})
        b_star, z, q, _ = solve_hypergraph_lp(sub, self.weights)
        self.n_solves += 1
        lo, hi = 0, len(self.breakpoints)
        offset = n
        used = {}
        for k in sub.orders:
            idx = np.nonzero(alive[k])[0]
            zk = z[offset:offset + len(idx)]
            offset += len(idx)
            keep = zk > _MASS_FLOOR
            used[k] = (idx[keep], zk[keep])
            if keep.any():
                lo = max(lo, int(self.rank[k][idx[keep]].max()))
        for k in self.orders:
            violated = q[self.hg.edges[k]].sum(axis=1) > 1 + _DUAL_SLACK
            if violated.any():
                hi = min(hi, int(self.rank[k][violated].min()) - 1)
        self.values.append(float(b_star))
        self._z.append((z[:n].copy(), used))
        self._q.append(q)
        return lo, hi

    # -- queries ---------------------------------------------------------
    def state_eps(self, s):
        """Smallest eps of state s (0 for state 0)."""
        return 0.0 if s == 0 else float(self.breakpoints[s - 1])

    def state(self, eps):
        """The state of eps: number of breakpoints b with b <= eps (tolerant)."""
        return int(np.searchsorted(self.breakpoints, eps * (1 + TOL) + 1e-12, side="right"))

    def risk(self, eps) -> float:
        """R*(eps) = 1 - B*(eps), exact for 0 <= eps <= eps_max."""
        return float(np.clip(1.0 - self.values[self.level_of_state[self.state(eps)]], 0.0, 1.0))

    def dual(self, eps) -> np.ndarray:
        """An optimal dual q at eps, shape (n,)."""
        return self._q[self.level_of_state[self.state(eps)]]

    def level(self, eps) -> int:
        return int(self.level_of_state[self.state(eps)])

    def barycenter(self, eps) -> Barycenter:
        """An optimal generalized barycenter at eps."""
        singles, used = self._z[self.level(eps)]
        keep = singles > _MASS_FLOOR
        support, mass = [self.X[keep]], [singles[keep]]
        members = [(int(j),) for j in np.nonzero(keep)[0]]
        for k, (idx, zk) in used.items():
            support.append(self.hg.centre[k][idx])
            mass.append(zk)
            members += [tuple(int(i) for i in e) for e in self.hg.edges[k][idx]]
        return Barycenter(np.concatenate(support), np.concatenate(mass), members)

    def curve(self):
        """The exact step function: jump positions and values.

        Returns
        -------
        eps : ndarray, shape (m + 1,)
            0, then every eps where R* changes, then ``eps_max``.
        risk : ndarray, shape (m + 1,)
            R* on [eps[i], eps[i + 1]) (the last value repeated).
        """
        risk_of_state = np.clip(1.0 - np.asarray(self.values)[self.level_of_state], 0.0, 1.0)
        change = np.nonzero(np.abs(np.diff(risk_of_state)) > 1e-9)[0] + 1
        starts = np.concatenate([[0], change])
        eps = np.array([self.state_eps(s) for s in starts] + [self.eps_max])
        risk = np.concatenate([risk_of_state[starts], risk_of_state[-1:]])
        return eps, risk

    def jumps(self) -> np.ndarray:
        """The eps values (> 0) where R* jumps."""
        eps, _ = self.curve()
        return eps[1:-1]


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
    return _nice_floor(eps)


# ============================================================== epsilon explorer


class EpsilonExplorer(_Explorer):
    """See :func:`epsilon_explorer`."""

    def __init__(self, X, y, *, norm=2, eps_max=None, max_order=None, weights=None, snap=False, eps=None,
                 resolution=160):
        import ipywidgets as widgets

        X, codes, classes, w = check_data(X, y, weights)
        _check_points(X, "X")
        K = len(classes)
        if K < 2:
            raise ValueError(f"y must hold at least two classes to have conflicts; got {K}")
        norm = parse_norm(norm)
        max_order = check_max_order(max_order)
        if max_order is not None and max_order < 2:
            raise ValueError(f"max_order must be >= 2 (or None for exact); got {max_order}")
        order = K if max_order is None else min(max_order, K)
        snap = _check_flag(snap, "snap")
        if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) or resolution < 10:
            raise ValueError(f"resolution must be an integer >= 10; got {resolution!r}")
        eps_max = _default_eps_max(X, codes, norm) if eps_max is None else _check_positive(eps_max, "eps_max")
        eps = round(eps_max / 2, 3) if eps is None else check_eps(eps)
        if eps > eps_max:
            raise ValueError(f"eps must be <= eps_max = {eps_max}; got {eps}")

        self.X, self.codes, self.classes, self.weights = X, codes, classes, w
        self.eps_max, self.resolution = eps_max, int(resolution)
        self._levels, self._grid_distances, self._hypergraphs, self._level_cache = {}, {}, {}, {}
        self.extent = plots.data_extent(X, margin=0.12)
        self._grid, self._grid_shape = plots.grid_points(self.extent, self.resolution)
        self._unit_mass = float(np.mean(w))
        self._shared_only = len(X) > 30

        self.slider = _slider("ε", eps, eps_max)
        self.snap = widgets.Checkbox(value=snap, description="snap to breakpoints", indent=False,
                                     layout=widgets.Layout(width="200px"))
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

    def _neighbours(self):
        """Pixel-to-point distances up to eps_max, grouped by (pixel, class).

        Returns ``(dist, idx, keys, starts)``: entries sorted by
        ``key = pixel * K + class``; ``starts`` opens each nonempty group,
        ``keys`` names it.  Computed once per norm, in chunks of pixels.
        """
        norm = self.norm.value
        if norm not in self._grid_distances:
            K = len(self.classes)
            radius = self.eps_max * (1 + TOL) + 1e-12
            dist, idx, key = [], [], []
            chunk = max(1, 2**21 // len(self.X))
            for start in range(0, len(self._grid), chunk):
                D = pairwise_distances(self._grid[start:start + chunk], self.X, norm)
                rows, cols = np.nonzero(D <= radius)
                dist.append(D[rows, cols].astype(np.float32))
                idx.append(cols.astype(np.int32))
                key.append((rows + start) * K + self.codes[cols])
            dist, idx, key = np.concatenate(dist), np.concatenate(idx), np.concatenate(key)
            order = np.argsort(key, kind="stable")
            dist, idx, key = dist[order], idx[order], key[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=int)
            self._grid_distances[norm] = (dist, idx, key[starts], starts)
        return self._grid_distances[norm]

    def _classifier(self, level, eps):
        """Classifier image at eps: ``f_c = max{q_j : y_j = c, pixel in B_eps(x_j)}``,
        normalised per pixel as in :func:`plots.dual_classifier_proba`.

        One pass over the precomputed (pixel, point) pairs within eps_max:
        a maximum per (pixel, class) group.

        Returns
        -------
        ndarray, shape (resolution, resolution, K)
        """
        dist, idx, keys, starts = self._neighbours()
        K = len(self.classes)
        f = np.zeros(len(self._grid) * K)
        if len(dist):
            q = self.levels._q[level]
            values = np.where(dist <= eps * (1 + TOL) + 1e-12, q[idx], 0.0)
            f[keys] = np.maximum.reduceat(values, starts)
        f = f.reshape(-1, K)
        total = f.sum(axis=1, keepdims=True)
        f = np.divide(f, total, out=np.zeros_like(f), where=total > 1e-12)
        return f.reshape(*self._grid_shape, K)

    # -- drawing -------------------------------------------------------------
    def _draw_static(self):
        fig = self._new_figures((12.6, 5.4))
        with self._style():
            gs = fig.add_gridspec(1, 3, width_ratios=[5.2, 2.1, 4.3])
            ax = self._static_ax = fig.add_subplot(gs[0])
            legend_ax = fig.add_subplot(gs[1])
            cax = self._static_curve_ax = fig.add_subplot(gs[2])
            legend_ax.axis("off")
            K = len(self.classes)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])
            ax.set_aspect("equal", adjustable="box")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title("conflicts")  # placeholder: the live title has the counts
            # legend handles: throw-away artists in the (hidden) data axes
            conflicts = plots.draw_hyperedges(ax, self.X, [], linewidth=0.8, alpha=0.5, label="conflict")
            merged = plots.draw_hyperedges(ax, self.X, [], color="black", linewidth=1.8, alpha=0.9,
                                           label="merged pair")
            atoms = ax.scatter([], [], s=130, marker="*", c="0.6", edgecolors="black", linewidths=0.9,
                               label="barycenter atom")
            merged["polygons"].set_label("merged triple")
            legend_ax.add_artist(legend_ax.legend(
                handles=[*plots.class_legend_handles(self.classes), conflicts["pairs"], merged["pairs"],
                         *([merged["polygons"]] if K >= 3 else []), atoms],
                loc="upper left", frameon=False, borderaxespad=0, handlelength=1.6, title="data",
                alignment="left"))
            legend_ax.legend(handles=plots.partition_legend_handles(self.classes), loc="lower left",
                             title="robust classifier", frameon=False, borderaxespad=0, alignment="left",
                             handlelength=1.6)
            curve_eps, curve_risk = self.levels.curve()
            self._static_curve = plots.draw_risk_curve(cax, curve_eps, curve_risk)
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(-0.02, float(curve_risk.max()) * 1.08 + 0.03)
            cax.grid(alpha=0.3)
            cax.set_ylabel(r"$R^*(\varepsilon)$")
            cax.set_title("optimal adversarial risk (exact)")

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
            "conflicts": plots.draw_hyperedges(ax, self.X, [], linewidth=0.6, alpha=0.35, fill_alpha=0.06),
            "merged": plots.draw_hyperedges(ax, self.X, [], color="black", linewidth=1.6, alpha=0.9,
                                            fill_alpha=0.1, label="merged by the barycenter", zorder=3),
            "barycenter": plots.draw_barycenter(
                ax, Barycenter(np.zeros((0, 2)), np.zeros(0), []), codes=self.codes, n_classes=K,
                unit_mass=self._unit_mass, shared_only=self._shared_only),
            "data": plots.draw_data(ax, self.X, self.codes, classes=np.arange(K), legend=False,
                                    size=40 if len(self.X) <= 100 else 24),
        }
        # a plain text where the title goes: cheaper to redraw than an axes title
        title = self._static_ax.title
        self._title = ax.text(*title.get_position(), " ", transform=title.get_transform(), ha="center",
                              va="baseline", fontsize=title.get_fontsize())
        (marker,) = cax.plot([eps], [0.0], "o", color="black", markersize=9, markerfacecolor="#D55E00",
                             markeredgewidth=1.5, zorder=4)
        vline = cax.axvline(eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        self.artists["curve"] = {"marker": marker, "vline": vline}
        self._curve_key = (self.norm.value, self.order.value)

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
                axis.set_ylim(-0.02, float(curve_risk.max()) * 1.08 + 0.03)
            self._backdrop.invalidate()
            self._curve_key = (norm, order)
        risk = levels.risk(eps)
        level = levels.level(eps)
        a["curve"]["marker"].set_data([eps], [risk])
        a["curve"]["vline"].set_xdata([eps, eps])
        plots.update_balls(a["balls"], eps, norm)
        # conflicts alive at eps: a prefix of the hyperedges sorted by birth
        segments, seg_rank, polygons, poly_rank = self._conflict_geometry()
        state = levels.state(eps)
        n_pairs = int(np.searchsorted(seg_rank, state, side="right"))
        n_larger = int(np.searchsorted(poly_rank, state, side="right"))
        drawn = n_pairs + n_larger <= _MAX_DRAWN_CONFLICTS
        a["conflicts"]["pairs"].set_segments(segments[:n_pairs] if drawn else [])
        a["conflicts"]["polygons"].set_verts(polygons[:n_larger] if drawn else [])
        bary, merged_segments, merged_polygons = self._level_drawing(level)
        a["merged"]["pairs"].set_segments(merged_segments)
        a["merged"]["polygons"].set_verts(merged_polygons)
        plots.update_barycenter(a["barycenter"], bary, codes=self.codes, n_classes=len(self.classes),
                                unit_mass=self._unit_mass, shared_only=self._shared_only)
        a["partition"]["image"].set_data(plots.proba_to_rgb(self._classifier(level, eps)))
        words = f"{n_pairs} conflicting pairs" + (f", {n_larger} larger sets" if len(self.classes) > 2 else "")
        self._title.set_text(words + ("" if drawn else " (too many to draw)"))
        self.eps, self.risk = eps, risk
        if order < len(self.classes):
            self._set_readout(f"eps = {eps:.3f} | R*_{order} = {risk:.4f} (lower bound)")
        else:
            self._set_readout(f"eps = {eps:.3f} | R* = {risk:.4f}")

    def _snap_stops(self):
        return np.concatenate([[0.0], self.levels.jumps()])


def epsilon_explorer(X, y, *, norm=2, eps_max=None, max_order=None, weights=None, snap=False):
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
    return EpsilonExplorer(X, y, norm=norm, eps_max=eps_max, max_order=max_order, weights=weights, snap=snap)


# ============================================================== attack explorer


class AttackExplorer(_Explorer):
    """See :func:`attack_explorer`."""

    def __init__(self, model, X, y, *, norm=np.inf, eps_max=1.0, attack="pgd", eps=None, steps=50,
                 resolution=150):
        import ipywidgets as widgets

        for method in ("predict", "predict_proba", "input_gradient", "loss"):
            if not callable(getattr(model, method, None)):
                raise TypeError(f"model must have a {method}() method (e.g. advot_teach.models.MLP); "
                                f"got {type(model).__name__}")
        X = _check_points(X, "X")
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(X):
            raise ValueError(f"y must have one label per row of X: shape {y.shape} for {len(X)} points")
        norm = parse_norm(norm)
        if norm not in (2.0, np.inf):
            raise ValueError(f"norm must be np.inf or 2 for the attacks; got {norm}")
        if attack not in ("pgd", "fgsm"):
            raise ValueError(f"attack must be 'pgd' or 'fgsm'; got {attack!r}")
        eps_max = _check_positive(eps_max, "eps_max")
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
            raise ValueError(f"steps must be a positive integer; got {steps!r}")
        classes = np.asarray(getattr(model, "classes_", np.unique(y)))
        missing = np.setdiff1d(np.unique(y), classes)
        if len(missing):
            raise ValueError(f"y holds labels the model does not know: {missing.tolist()}")
        self.model, self.X, self.y, self.classes = model, X, y, classes
        self.codes = np.searchsorted(classes, y) if np.all(classes[:-1] <= classes[1:]) else \
            np.array([classes.tolist().index(v) for v in y.tolist()])
        self.eps_max, self._steps = eps_max, int(steps)
        self.eps_grid = np.linspace(0.0, eps_max, self._steps + 1)
        self._cache = {}
        self.extent = plots.data_extent(X, margin=0.12, pad=0.5 * eps_max)
        self._grid, self._grid_shape = plots.grid_points(self.extent, int(resolution))
        self.clean_correct = np.asarray(model.predict(X)) == y

        eps = float(self.eps_grid[self._steps // 3]) if eps is None else check_eps(eps)
        self.slider = _slider("ε", eps, eps_max, steps=self._steps)
        self.attack = widgets.Dropdown(options=[("PGD (10 steps)", "pgd"), ("FGSM (1 step)", "fgsm")],
                                       value=attack, description="attack", layout=widgets.Layout(width="260px"))
        self.norm = widgets.Dropdown(options=[("ℓ∞", np.inf), ("ℓ2", 2.0)], value=norm, description="norm",
                                     layout=widgets.Layout(width="160px"))
        self._draw_static()
        self._finish([self.slider, self.attack, self.norm], observed=[self.attack, self.norm])

    # -- attacks (cached per attack, norm and eps) ----------------------------
    def adversarial(self, eps):
        """Adversarial examples at eps for the current attack and norm.

        Returns
        -------
        X_adv : ndarray, shape (n, 2)
        robust : ndarray of bool, shape (n,)
            Correct on x and on x_adv, as in :func:`advot_teach.attacks.robust_accuracy`.
        """
        from . import attacks

        key = (self.attack.value, self.norm.value, float(eps))
        if key not in self._cache:
            run = attacks.pgd if self.attack.value == "pgd" else attacks.fgsm
            X_adv = self.X.copy() if eps == 0 else run(self.model, self.X, self.y, float(eps), self.norm.value)
            robust = self.clean_correct & (np.asarray(self.model.predict(X_adv)) == self.y)
            self._cache[key] = (X_adv, robust)
        return self._cache[key]

    def curve(self):
        """Robust accuracy at every slider stop, shape (steps + 1,)."""
        return np.array([self.adversarial(e)[1].mean() for e in self.eps_grid])

    # -- drawing -------------------------------------------------------------
    def _draw_static(self):
        fig = self._new_figures((12.2, 5.2))
        K = len(self.classes)
        with self._style():
            gs = fig.add_gridspec(1, 2, width_ratios=[6.4, 5.0])
            ax = self._static_ax = fig.add_subplot(gs[0])
            cax = self._static_curve_ax = fig.add_subplot(gs[1])
            proba = np.asarray(self.model.predict_proba(self._grid)).reshape(*self._grid_shape, K)
            plots.draw_partition(ax, proba, self.extent, self.classes, legend=False)
            plots.draw_data(ax, self.X, self.codes, classes=np.arange(K), legend=False, size=30, alpha=0.9)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])
            ax.set_aspect("equal", adjustable="box")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title("model, clean points and their attacks")
            from matplotlib.lines import Line2D

            handles = plots.class_legend_handles(self.classes) + [
                Line2D([], [], linestyle="none", marker="o", markerfacecolor="none", markeredgecolor="black",
                       markersize=8, label="attacked point"),
                Line2D([], [], linestyle="none", marker="x", color="#D55E00", markersize=8, markeredgewidth=2,
                       label="fools the model"),
            ]
            ax.legend(handles=handles, loc="upper left", framealpha=0.85, fontsize=10)
            self._static_curve = cax.plot(self.eps_grid, self.curve(), "-o", color="#0072B2", markersize=3,
                                          label="robust accuracy")[0]
            cax.axhline(self.clean_correct.mean(), color="0.4", linestyle=":", label="clean accuracy")
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(-0.02, 1.02)
            cax.set_xlabel(r"budget $\varepsilon$")
            cax.set_ylabel("robust accuracy")
            cax.grid(alpha=0.3)
            cax.legend(loc="upper right")
            self._curve_title = cax.set_title(self._curve_label())

    def _curve_label(self):
        name = "PGD" if self.attack.value == "pgd" else "FGSM"
        norm = "ℓ∞" if self.norm.value == np.inf else "ℓ2"
        return f"accuracy under {name} ({norm} balls)"

    def _draw_live(self):
        K = len(self.classes)
        ax = self.ax = self._live_axes(self._static_ax)
        self.curve_ax = cax = self._live_axes(self._static_curve_ax)
        eps = self.slider.value
        self.artists = {
            "balls": plots.draw_balls(ax, self.X, eps, self.norm.value, y=self.codes, classes=np.arange(K),
                                      alpha=0.0, edge_alpha=0.35 if len(self.X) <= 60 else 0.12),
            "arrows": ax.add_collection(_segments([], color="0.15", linewidth=0.9, alpha=0.8, zorder=5)),
            "adversarial": [ax.scatter(np.zeros(0), np.zeros(0), s=30, marker=m, facecolors="none",
                                       edgecolors=[c], linewidths=1.3, zorder=6)
                            for m, c in zip(plots.class_markers(K), plots.class_colors(K))],
            "fooled": ax.scatter(np.zeros(0), np.zeros(0), s=38, marker="x", color="#D55E00", linewidths=2,
                                 zorder=7),
        }
        (marker,) = cax.plot([eps], [0.0], "o", color="black", markersize=9, markerfacecolor="#0072B2",
                             markeredgewidth=1.5, zorder=4)
        vline = cax.axvline(eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        self.artists["curve"] = {"marker": marker, "vline": vline}
        self._curve_key = (self.attack.value, self.norm.value)

    def _update(self):
        eps = float(self.slider.value)
        X_adv, robust = self.adversarial(eps)
        a = self.artists
        key = (self.attack.value, self.norm.value)
        if key != self._curve_key:
            self._static_curve.set_ydata(self.curve())
            self._curve_title.set_text(self._curve_label())
            self._backdrop.invalidate()
            self._curve_key = key
        plots.update_balls(a["balls"], eps, self.norm.value)
        a["arrows"].set_segments(np.stack([self.X, X_adv], axis=1))
        for c, scatter in enumerate(a["adversarial"]):
            scatter.set_offsets(X_adv[self.codes == c])
        a["fooled"].set_offsets(X_adv[self.clean_correct & ~robust])
        accuracy = float(robust.mean())
        a["curve"]["marker"].set_data([eps], [accuracy])
        a["curve"]["vline"].set_xdata([eps, eps])
        self.eps, self.accuracy = eps, accuracy
        self._set_readout(f"eps = {eps:.3f} | robust accuracy = {accuracy:.4f}")


def _segments(segments, **kwargs):
    from matplotlib.collections import LineCollection

    return LineCollection(segments, **kwargs)


def attack_explorer(model, X, y, *, norm=np.inf, eps_max=1.0, attack="pgd"):
    """Watch a gradient attack move 2-D points as eps grows.

    Shows the model's decision regions (colours mixed by its class
    probabilities), the clean points, their PGD or FGSM adversarial examples
    with arrows, points that now fool the model, and the robust accuracy
    curve with a marker at the current eps.

    Parameters
    ----------
    model : fitted classifier
        Needs ``predict``, ``predict_proba``, ``input_gradient`` and
        ``loss`` (as :class:`advot_teach.models.MLP`); 2-D inputs.
    X : array_like, shape (n, 2)
    y : array_like, shape (n,)
    norm : {np.inf, 2}
        Initial ball of the attack (a dropdown changes it).
    eps_max : float
        Right end of the slider (50 steps; every stop is attacked once and
        cached).
    attack : {"pgd", "fgsm"}
        Initial attack (a dropdown changes it); default settings of
        :func:`advot_teach.attacks.pgd` / :func:`~advot_teach.attacks.fgsm`.

    Returns
    -------
    AttackExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``eps = 0.350 | robust accuracy = 0.8100``), ``.attack``, ``.norm``,
        ``.adversarial(eps)``.
    """
    return AttackExplorer(model, X, y, norm=norm, eps_max=eps_max, attack=attack)


# ============================================================== coupling explorer


class CouplingExplorer(_Explorer):
    """See :func:`coupling_explorer`."""

    def __init__(self, X, Y, *, norm=2, eps_max=None, a=None, b=None, snap=False, eps=None):
        import ipywidgets as widgets

        from ._validation import check_weights
        from .transport import w_inf

        X, Y = _check_points(X, "X"), _check_points(Y, "Y")
        norm = parse_norm(norm)
        self.X, self.Y, self.norm = X, Y, norm
        self.a, self.b = check_weights(a, len(X)), check_weights(b, len(Y))
        self.D = pairwise_distances(X, Y, norm)
        self.w_inf = float(w_inf(X, Y, self.a, self.b, norm).value)
        if eps_max is None:
            eps_max = _nice_floor(1.5 * self.w_inf) if self.w_inf > 0 else float(self.D.max() or 1.0)
        self.eps_max = _check_positive(eps_max, "eps_max")
        # distinct distances: the coupling problem changes only there
        self.levels = np.unique(self.D[self.D <= self.eps_max * (1 + TOL) + 1e-12])
        self._cache = {}
        eps = round(min(self.w_inf, self.eps_max) * 0.7, 3) if eps is None else check_eps(eps)
        self.slider = _slider("ε", eps, self.eps_max)
        self.snap = widgets.Checkbox(value=_check_flag(snap, "snap"), description="snap to distances",
                                     indent=False, layout=widgets.Layout(width="200px"))
        self._draw_static()
        self._finish([self.slider, self.snap], observed=[self.snap])

    def _snap_stops(self):
        # the allowed pairs change only at the pairwise distances
        return np.concatenate([[0.0], self.levels])

    def _state(self, eps):
        return int(np.searchsorted(self.levels, eps * (1 + TOL) + 1e-12, side="right"))

    def coupling(self, eps):
        """The plan drawn at eps and whether it moves no mass farther than eps.

        Returns
        -------
        plan : ndarray, shape (n, m)
            A coupling using only pairs within eps if one exists
            (``W_inf <= eps``); otherwise an optimal plan for the 0/1 cost
            ``1{d > eps}``, which moves as little mass as possible farther.
        feasible : bool
        unmatched : float
            Mass the plan moves farther than eps (0 when feasible).
        """
        from .transport import eps_coupling, wasserstein

        state = self._state(eps)
        if state not in self._cache:
            radius = self.levels[state - 1] if state else 0.0
            plan = eps_coupling(self.X, self.Y, radius, self.a, self.b, self.norm)
            if plan is not None:
                self._cache[state] = (plan, True, 0.0)
            else:
                allowed = self.D <= radius * (1 + TOL) + 1e-12
                result = wasserstein(self.a, self.b, M=(~allowed).astype(float))
                self._cache[state] = (result.plan, False, float(result.cost))
        return self._cache[state]

    def curve(self):
        """Exact step function: mass that must move farther than eps.

        Returns
        -------
        eps : ndarray, shape (m,)
            0, the distances where the value changes, and ``eps_max``.
        unmatched : ndarray, shape (m,)
        """
        states = np.arange(len(self.levels) + 1)
        values = np.full(len(states), np.nan)

        def value(s):
            if np.isnan(values[s]):
                values[s] = self.coupling(self.levels[s - 1] if s else 0.0)[2]
            return values[s]

        # nonincreasing: where both ends agree the whole interval does
        pending = [(0, len(states) - 1)]
        while pending:
            lo, hi = pending.pop()
            if abs(value(lo) - value(hi)) <= 1e-12:
                values[lo:hi + 1] = values[lo]
            elif hi - lo > 1:
                mid = (lo + hi) // 2
                pending += [(lo, mid), (mid, hi)]
        change = np.nonzero(np.abs(np.diff(values)) > 1e-12)[0] + 1
        starts = np.concatenate([[0], change])
        eps = np.array([self.levels[s - 1] if s else 0.0 for s in starts] + [self.eps_max])
        return eps, np.concatenate([values[starts], values[-1:]])

    def _draw_static(self):
        fig = self._new_figures((11.4, 5.0))
        with self._style():
            gs = fig.add_gridspec(1, 2, width_ratios=[6.0, 4.6])
            ax = self._static_ax = fig.add_subplot(gs[0])
            cax = self._static_curve_ax = fig.add_subplot(gs[1])
            both = np.concatenate([self.X, self.Y])
            self.extent = plots.data_extent(both, margin=0.1, pad=0.35 * self.eps_max)
            colors = plots.class_colors(2)
            ax.scatter(*self.X.T, s=46, color=colors[0], marker="o", edgecolors="white", zorder=6,
                       label=r"$\mu$ (points $x_i$)")
            ax.scatter(*self.Y.T, s=46, color=colors[1], marker="s", edgecolors="white", zorder=6,
                       label=r"$\nu$ (points $y_j$)")
            from matplotlib.lines import Line2D

            handles, _ = ax.get_legend_handles_labels()
            handles += [Line2D([], [], color="0.55", linewidth=1, label=r"pair within $\varepsilon$"),
                        Line2D([], [], color="black", linewidth=2.2, label="coupling"),
                        Line2D([], [], color="#D55E00", linewidth=2, linestyle="--",
                               label=r"moves farther than $\varepsilon$")]
            ax.legend(handles=handles, loc="upper left", framealpha=0.85, fontsize=10)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])
            ax.set_aspect("equal", adjustable="box")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(r"couplings that move mass at most $\varepsilon$")
            eps, unmatched = self.curve()
            cax.step(eps, unmatched, where="post", color="#D55E00", linewidth=2)
            cax.axvline(self.w_inf, color="black", linestyle=":", linewidth=1.2)
            cax.text(self.w_inf, 0.97, rf" $W_\infty$ = {self.w_inf:.3f}", transform=cax.get_xaxis_transform(),
                     va="top", ha="left")
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(-0.02, max(float(unmatched.max()), 0.05) * 1.08 + 0.02)
            cax.set_xlabel(r"budget $\varepsilon$")
            cax.set_ylabel(r"mass moved farther than $\varepsilon$")
            cax.grid(alpha=0.3)
            cax.set_title(r"zero exactly when $\varepsilon \geq W_\infty$")

    def _draw_live(self):
        ax = self.ax = self._live_axes(self._static_ax)
        self.curve_ax = cax = self._live_axes(self._static_curve_ax)
        eps = self.slider.value
        self.artists = {
            "balls": plots.draw_balls(ax, self.X, eps, self.norm, color=plots.PALETTE[0], alpha=0.02,
                                      edge_alpha=0.3),
            "allowed": ax.add_collection(_segments([], color="0.55", linewidth=0.8, alpha=0.7, zorder=2)),
            "plan": ax.add_collection(_segments([], color="black", zorder=4)),
            "far": ax.add_collection(_segments([], color="#D55E00", linestyle="--", zorder=4)),
        }
        (marker,) = cax.plot([eps], [0.0], "o", color="black", markersize=9, markerfacecolor="#D55E00",
                             markeredgewidth=1.5, zorder=4)
        vline = cax.axvline(eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        self.artists["curve"] = {"marker": marker, "vline": vline}

    def _update(self):
        eps = self._snapped_value()
        plan, feasible, unmatched = self.coupling(eps)
        allowed = self.D <= eps * (1 + TOL) + 1e-12
        a = self.artists
        plots.update_balls(a["balls"], eps, self.norm)
        i, j = np.nonzero(allowed)
        a["allowed"].set_segments(np.stack([self.X[i], self.Y[j]], axis=1))
        used = plan > 1e-12
        scale = 2.5 / max(float(plan.max()), 1e-12)
        for name, mask in (("plan", used & allowed), ("far", used & ~allowed)):
            i, j = np.nonzero(mask)
            a[name].set_segments(np.stack([self.X[i], self.Y[j]], axis=1))
            a[name].set_linewidths(0.6 + scale * plan[i, j])
        a["curve"]["marker"].set_data([eps], [unmatched])
        a["curve"]["vline"].set_xdata([eps, eps])
        self.eps, self.feasible = eps, feasible
        self._set_readout(f"eps = {eps:.3f} | W_inf <= eps: {'yes' if feasible else 'no'}")


def coupling_explorer(X, Y, *, norm=2, eps_max=None, a=None, b=None, snap=False):
    """Which mass can the adversary move within eps?  W_inf with a slider.

    Shows two point clouds mu (``X``) and nu (``Y``), every pair within eps
    (where the 0/inf cost ``c_eps`` is 0), and a coupling that uses only such
    pairs if one exists -- i.e. exactly when ``W_inf(mu, nu) <= eps``.
    Otherwise it shows an optimal plan for the 0/1 cost, with the mass that
    must move farther than eps dashed; the right panel plots that mass
    against eps (an exact step function, zero from ``W_inf`` on).

    Parameters
    ----------
    X : array_like, shape (n, 2)
    Y : array_like, shape (m, 2)
    norm : {2, np.inf, 1, "l2", "linf", "l1"}
    eps_max : float, optional
        Right end of the slider (default 1.5 W_inf, rounded down).
    a, b : array_like, shapes (n,) and (m,), optional
        Weights of the two clouds (default uniform).
    snap : bool
        Start with "snap to distances" on: the slider jumps to the nearest
        pairwise distance, where the picture changes.

    Returns
    -------
    CouplingExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``eps = 0.350 | W_inf <= eps: yes``), ``.snap``, ``.w_inf``,
        ``.coupling(eps)``, ``.curve()``.
    """
    return CouplingExplorer(X, Y, norm=norm, eps_max=eps_max, a=a, b=b, snap=snap)


# ============================================================== barycenter explorer


class BarycenterExplorer(_Explorer):
    """See :func:`barycenter_explorer`."""

    _slider_name = "t"

    def __init__(self, X, Y, *, a=None, b=None, t=0.5):
        from .barycenters import mccann_interpolation

        X, Y = _check_points(X, "X"), _check_points(Y, "Y")
        t = check_eps(t, "t")
        if t > 1:
            raise ValueError(f"t must lie in [0, 1]; got {t}")
        self.X, self.Y = X, Y
        self.interpolation = interp = mccann_interpolation(X, Y, t, a, b)
        self._unit_mass = float(np.median(interp.mass))
        #: W2(mu_0, mu_1) of the optimal plan: mu_t is at distance t * w2 from mu_0
        self.w2 = float(np.sqrt(interp.mass @ ((interp.source - interp.target) ** 2).sum(axis=1)))
        self.slider = _slider("t", t, 1.0, steps=100, fmt=".2f")
        self._draw_static()
        self._finish([self.slider])

    def _draw_static(self):
        fig = self._new_figures((7.6, 5.2))
        with self._style():
            ax = self._static_ax = fig.add_subplot()
            interp = self.interpolation
            self.extent = plots.data_extent(np.concatenate([self.X, self.Y]), margin=0.1)
            colors = plots.class_colors(2)
            ax.add_collection(_segments(np.stack([interp.source, interp.target], axis=1), color="0.6",
                                        linewidth=0.8, linestyle=":", zorder=1))
            ax.scatter(*self.X.T, s=40, color=colors[0], alpha=0.45, marker="o", edgecolors="none",
                       label=r"$\mu_0$ (t = 0)")
            ax.scatter(*self.Y.T, s=40, color=colors[1], alpha=0.45, marker="s", edgecolors="none",
                       label=r"$\mu_1$ (t = 1)")
            ax.scatter([], [], s=60, color=0.5 * (colors[0] + colors[1]), edgecolors="black",
                       label=r"$\mu_t$ (area ~ mass)")
            ax.plot([], [], color="0.6", linestyle=":", label="optimal pairs")
            ax.legend(loc="upper left", framealpha=0.85, fontsize=10)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])
            ax.set_aspect("equal", adjustable="box")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(r"McCann interpolation $\mu_t$: mass moves on straight lines")

    def _draw_live(self):
        ax = self.ax = self._live_axes(self._static_ax)
        sizes = plots.atom_sizes(self.interpolation.mass, self._unit_mass, 55.0)
        self.artists = {"atoms": ax.scatter(*self.interpolation.support.T, s=sizes, edgecolors="black",
                                            linewidths=0.8, zorder=5),
                        "title": ax.text(0.98, 0.02, "", transform=ax.transAxes, ha="right", va="bottom",
                                         fontsize=12, bbox=dict(facecolor="white", alpha=0.85, edgecolor="0.7"))}

    def _update(self):
        t = float(self.slider.value)
        colors = plots.class_colors(2)
        atoms = self.artists["atoms"]
        atoms.set_offsets(self.interpolation.at(t))
        atoms.set_facecolor((1 - t) * colors[0] + t * colors[1])
        self.artists["title"].set_text(rf"$W_2(\mu_0, \mu_t) = t\,W_2(\mu_0, \mu_1)$ = {t * self.w2:.3f}")
        self.t = t
        self._set_readout(f"t = {t:.2f}")


def barycenter_explorer(X, Y, *, a=None, b=None, t=0.5):
    """McCann's displacement interpolation between two clouds, with a t-slider.

    The W2-optimal plan is solved once (:func:`advot_teach.barycenters.mccann_interpolation`);
    each piece of mass then moves on a straight line, ``(1 - t) x + t y``.
    At t = 1/2 this is the Wasserstein barycenter of the two clouds.

    Parameters
    ----------
    X : array_like, shape (n, 2)
    Y : array_like, shape (m, 2)
    a, b : array_like, optional
        Weights (default uniform).
    t : float in [0, 1]
        Initial time.

    Returns
    -------
    BarycenterExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``t = 0.50``), ``.interpolation``.
    """
    return BarycenterExplorer(X, Y, a=a, b=b, t=t)
