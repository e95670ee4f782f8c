"""The shared explorer base class, its input checks and small widget factories.

An explorer is a static figure (laid out once, drawn as a backdrop), a live
figure of artists whose data change with the controls, the controls and a
readout; see :class:`Explorer`.
"""
from __future__ import annotations

import base64
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import check_array, check_bool, check_scalar
from ._canvas import DPI, Backdrop, FigureView, LiveFigure, Readout, render_rgba

#: CSS class of every explorer's readout (browser tests look for it).
READOUT_CLASS = "advot-risk-readout"
#: Shown with the static PNG where widgets cannot run.
STATIC_HINT = "Run this notebook in JupyterLab for the live {name}-slider"

#: About this many slider steps over the range (one arrow key each; see
#: :func:`nice_step`).  (While snapping the keys walk the stops instead.)
KEY_STEPS = 50
#: At most this many snap stops go to the browser (evenly thinned beyond).
_MAX_SENT_STOPS = 2000
#: Width (CSS pixels) assumed until the browser reports the real one.
DEFAULT_WIDTH = 960
# Panel sizes (pixels): side by side only if the map and the curve get at
# least this much; never wider than _MAX_*; a legend column is this wide.
_MIN_MAP, _MIN_CURVE, _LEGEND_PX = 420, 300, 235
# a map whose legend has its own column may be a little narrower
_MIN_MAP_BESIDE_LEGEND = 380
_MAX_WIDE, _MAX_STACKED, _MAX_SINGLE = 1400, 900, 780
_MAX_MAP_HEIGHT, _MAX_CURVE_HEIGHT = 560, 330
_MIN_LEGEND_HEIGHT = 470

_FONT = {"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12.5, "legend.fontsize": 11,
         "legend.title_fontsize": 11.5, "xtick.labelsize": 11, "ytick.labelsize": 11}


class Explorer:
    """Static figure + live figure + controls + readout; static PNG fallback.

    A subclass builds its static content in ``self.static_fig`` (panels made
    with :meth:`_panels`, laid out by constrained layout), then calls
    :meth:`_finish`, which freezes that layout, calls the subclass's
    ``_draw_live()`` (live artists on axes made with :meth:`_live_axes`) and
    wires the controls.  ``_update()`` changes the live artists' data for the
    current control values and sets the readout.

    The figure is laid out for the width the page gives it (reported by the
    browser): panels side by side when they fit, stacked otherwise.  A new
    width lays both figures out again (``_draw_static`` and ``_draw_live``
    run again on the same Figure objects).
    """

    _slider_name = "eps"
    #: Accessible name of the first slider (screen readers say it).
    _slider_label = "attack budget eps"
    _rc = _FONT
    static_fig = None
    #: Drawn this many times larger (see :func:`set_zoom`).
    zoom = 1.0

    def _new_figures(self):
        """The static and the live figure, created once and cleared on a new layout."""
        if self.static_fig is None:
            self.static_fig = Figure(dpi=DPI)
            FigureCanvasAgg(self.static_fig)
            self.fig = Figure(dpi=DPI)
            self.readout = Readout().add_class(READOUT_CLASS)
            self._readout_text = ""
            self._updating = False
            self.widget = None
            self._width_px = DEFAULT_WIDTH
            self.zoom = Explorer.zoom  # fixed when made: set_zoom acts on later explorers
        else:
            self.static_fig.clear()
            self.fig.clear()
        self.static_fig.set_dpi(DPI)
        self.static_fig.set_layout_engine("constrained")
        return self.static_fig

    def _panels(self, *, map, height, curve=None, legend=False):
        """Axes of the static figure for a map, an optional legend column
        and an optional curve, arranged for the available width.

        Parameters
        ----------
        map, curve : float
            Relative widths of the map and the curve side by side (the
            design proportions, e.g. 5.2 and 4.3).
        height : float
            Height of the map relative to its width when side by side.
        legend : bool
            A legend column (fixed width) right of the map.

        Returns
        -------
        map_ax, legend_ax, curve_ax : Axes (None for a panel not asked for)

        Side by side when the map gets at least ``_MIN_MAP`` pixels and the
        curve ``_MIN_CURVE``; otherwise the curve goes under the map, as wide
        as the figure.  Never wider than the width the page gives
        (``self._width_px``).
        """
        fig = self._new_figures()
        width = max(int(self._width_px / self.zoom) - 4, 320)  # in the figure's own pixels
        legend_px = _LEGEND_PX if legend else 0
        if curve is None:
            design = _MAX_SINGLE
            fig_w = min(width, design)
            _set_size_px(fig, fig_w, fig_w * height)
            return fig.add_subplot(), None, None
        rest = width - legend_px
        min_map = _MIN_MAP_BESIDE_LEGEND if legend else _MIN_MAP
        side = rest * map / (map + curve) >= min_map and rest * curve / (map + curve) >= _MIN_CURVE
        if side:
            fig_w = min(width, _MAX_WIDE)
            map_px = (fig_w - legend_px) * map / (map + curve)
            curve_px = fig_w - legend_px - map_px
            # a legend column needs some height whatever the map's shape
            fig_h = max(map_px * height, _MIN_LEGEND_HEIGHT if legend else 0)
            _set_size_px(fig, fig_w, fig_h)
            ratios = [map_px, legend_px, curve_px] if legend else [map_px, curve_px]
            gs = fig.add_gridspec(1, len(ratios), width_ratios=ratios)
            axes = [fig.add_subplot(g) for g in gs]
            return axes[0], (axes[1] if legend else None), axes[-1]
        fig_w = min(width, _MAX_STACKED)
        map_px = fig_w - legend_px
        map_h = min(map_px * height, _MAX_MAP_HEIGHT)
        curve_h = min(0.45 * fig_w, _MAX_CURVE_HEIGHT)
        _set_size_px(fig, fig_w, map_h + curve_h)
        gs = fig.add_gridspec(2, 2 if legend else 1, height_ratios=[map_h, curve_h],
                              width_ratios=[map_px, legend_px] if legend else None)
        map_ax = fig.add_subplot(gs[0, 0])
        legend_ax = fig.add_subplot(gs[0, 1]) if legend else None
        return map_ax, legend_ax, fig.add_subplot(gs[1, :])

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

    def _lay_out(self):
        """Freeze the static layout and build the live layer over it."""
        self.fig.set_size_inches(self.static_fig.get_size_inches())
        with self._style():
            self.static_fig.canvas.draw()  # one constrained-layout pass
            self._keep_inside()
            self.static_fig.set_layout_engine("none")
            self._draw_live()
        self._backdrop = Backdrop(self.static_fig, self._rc)
        self.fig.add_artist(self._backdrop)

    def _keep_inside(self):
        """Lay the static figure out again inside a smaller rectangle if a
        tick label sticks out of it (constrained layout lets the label at
        the end of an x axis, e.g. "1.6" at eps_max, hang over the edge)."""
        fig = self.static_fig
        renderer = fig.canvas.get_renderer()
        boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
        if not boxes:
            return
        width, height = fig.bbox.width, fig.bbox.height
        left = max(0.0, -min(b.x0 for b in boxes))
        right = max(0.0, max(b.x1 for b in boxes) - width)
        bottom = max(0.0, -min(b.y0 for b in boxes))
        top = max(0.0, max(b.y1 for b in boxes) - height)
        if left + right + bottom + top > 0.5:
            pad = 2.0  # pixels
            left, right, bottom, top = (v + pad if v > 0 else 0.0 for v in (left, right, bottom, top))
            fig.get_layout_engine().set(rect=(left / width, bottom / height, 1 - (left + right) / width,
                                              1 - (bottom + top) / height))
            fig.canvas.draw()

    def _finish(self, controls, observed=()):
        """Lay out, build the live layer, attach the view, wire controls."""
        import ipywidgets as widgets

        self._lay_out()
        self.view = FigureView(layout=widgets.Layout(width="100%"))
        self._live = LiveFigure(self.fig, self.view, zoom=self.zoom)
        self.live = True
        self.readout.slider_labels = [self._slider_label]
        bar = widgets.HBox(list(controls), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = widgets.VBox([bar, self.readout, self.view]).add_class("advot-explorer")
        self._controls = list(controls)
        for control in [self.slider, *observed]:
            control.observe(self._on_change, names="value")
        if getattr(self, "snap", None) is not None:
            self.snap.observe(self._fit_step, names="value")
            self._fit_step()
        self.view.observe(self._on_view_size, names=["width", "pixel_ratio"])
        self._refresh(full=True)

    def _fit_step(self, change=None):
        """Slider step: 1/50 of the range, or none while snapping (a stop
        shows as itself; the keys walk the stops, see :meth:`_snapped_value`)."""
        if self.snap.value:
            self.slider.step = None
        else:
            self.slider.step = nice_step(self.slider.max - self.slider.min)
            self.readout.stops = []

    def _on_view_size(self, change):
        if change["name"] == "width":
            width = int(change["new"])
            if width >= 50 and abs(width - self._width_px) >= 8:
                self._width_px = width
                self._draw_static()
                self._lay_out()
                self._refresh(full=True)
                return
        self._refresh(full=True)

    # -- pieces several explorers draw -----------------------------------
    @staticmethod
    def _frame_map(ax, extent):
        """Limits ``extent`` = (x0, x1, y0, y1), equal aspect, no ticks."""
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])

    @staticmethod
    def _curve_marker(cax, eps, color):
        """A marker (filled with ``color``) and a dashed vertical line at eps
        on the curve axes; move them with :meth:`_move_curve_marker`."""
        (marker,) = cax.plot([eps], [0.0], "o", color="black", markersize=9, markerfacecolor=color,
                             markeredgewidth=1.5, zorder=4)
        vline = cax.axvline(eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        return {"marker": marker, "vline": vline}

    def _move_curve_marker(self, eps, value):
        self.artists["curve"]["marker"].set_data([eps], [value])
        self.artists["curve"]["vline"].set_xdata([eps, eps])

    # -- updates ---------------------------------------------------------
    def _on_change(self, change):
        # Changes made by _update itself (snapping the slider) arrive while
        # _updating is set and are ignored.
        if not self._updating:
            self._refresh()

    def _refresh(self, full=False):
        """Update artists and readout for the current controls, then send the
        new pixels (at once: see :meth:`LiveFigure.push`)."""
        started = time.perf_counter(), time.process_time()
        self._updating = True
        try:
            with self._style():
                self._update()
                self._live.push(full=full, started=started)
        finally:
            self._updating = False

    def _stops(self):
        """The snap stops: the slider's ends and ``_snap_stops()`` inside them, sorted."""
        lo, hi = float(self.slider.min), float(self.slider.max)
        stops = np.asarray(self._snap_stops(), dtype=float)
        return np.unique(np.concatenate([[lo], stops[(stops > lo) & (stops < hi)], [hi]]))

    def _snapped_value(self):
        """The slider value, moved to the nearest stop (:meth:`_stops`) when
        the snap checkbox is ticked (the slider follows; the change it
        triggers arrives while ``_updating`` is set and is ignored).

        In the browser the keys walk the stops themselves (the readout's
        script: arrows to the next stop, PageUp/PageDown 10 % of the range
        to the stop beyond, Home/End to the ends), and the slider has no step
        grid meanwhile, so that a stop shows as itself; a drag or a value set
        from code goes to the nearest stop.
        """
        value = clean(self.slider.value)
        snap = getattr(self, "snap", None)
        if snap is not None and snap.value:
            stops = self._stops()
            value = float(stops[int(np.argmin(np.abs(stops - value)))])
            if value != self.slider.value:
                self.slider.value = value
            self._send_stops(stops)
        return value

    def _send_stops(self, stops):
        """Give the readout's script the stops (thinned to at most ``_MAX_SENT_STOPS``)."""
        if len(stops) > _MAX_SENT_STOPS:
            stops = stops[np.unique(np.round(np.linspace(0, len(stops) - 1, _MAX_SENT_STOPS)).astype(int))]
        stops = [float(v) for v in stops]
        if stops != self.readout.stops:
            self.readout.stops = stops

    def _draw_live(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _set_readout(self, text, **data):
        """Show ``text``; ``data`` (numbers, flags) become ``data-*`` attributes
        of the readout element, for scripts and tests."""
        self._readout_text = text
        with self.readout.hold_sync():
            self.readout.text = text
            self.readout.data = {key: _attribute(value) for key, value in data.items()}
        self.view.alt = f"{self._figure_alt()}; {text}"

    def _figure_alt(self):
        return f"explorer figure for the {self._slider_name}-slider"

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

        dpi = dpi or DPI
        with self._style():
            frame = render_rgba(self.fig, dpi)
            if hint:
                strip = Figure(figsize=(self.fig.get_figwidth(), 0.34), dpi=dpi)
                FigureCanvasAgg(strip)
                strip.text(0.5, 0.5, f"{self.readout_text}    ({self.hint})", ha="center", va="center",
                           fontsize=11, color="0.3", style="italic")
                frame = np.concatenate([frame, render_rgba(strip, dpi)[:, :frame.shape[1]]], axis=0)
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


def _set_size_px(fig, width, height):
    # whole pixels: Agg truncates fractional sizes
    fig.set_size_inches(round(width) / DPI, round(height) / DPI)


def _attribute(value):
    """A readout value as a data attribute: full precision for floats
    (``repr``), "true"/"false" for flags."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def set_zoom(zoom=1.0):
    """Draw the explorers made from now on ``zoom`` times larger on the page.

    Text, lines and markers grow with the figure, which is laid out for
    the page width divided by ``zoom``, so it still fits the width it is
    given.  A presentation mode: at 1.35 the 11 pt tick labels and legends
    are 20 px high at 100 % browser zoom, and on a 1920-pixel-wide
    projector the figures fill the page (the lecture app uses it).

    Parameters
    ----------
    zoom : float in [0.5, 3]
        1 is the normal size.

    Returns
    -------
    float
        The previous zoom.
    """
    if isinstance(zoom, (bool, np.bool_)) or not isinstance(zoom, (int, float, np.integer, np.floating)):
        raise TypeError(f"zoom must be a number; got {type(zoom).__name__}")
    if not 0.5 <= zoom <= 3.0:
        raise ValueError(f"zoom must be between 0.5 and 3; got {zoom}")
    previous, Explorer.zoom = Explorer.zoom, float(zoom)
    return previous


# ============================================================== small checks


def check_flag(value, name):
    return check_bool(value, name)


def check_points(X, name):
    """``X`` as a finite float array of shape (n, 2), n >= 1."""
    return check_array(X, name, n_columns=2)


def check_positive(value, name):
    return check_scalar(value, name, min_val=0, include_min=False)


# ============================================================== small factories


def nice_floor(x):
    """Round down to two significant digits (a clean slider end)."""
    scale = 10 ** (np.floor(np.log10(x)) - 1)
    return float(np.floor(x / scale) * scale)


def nice_step(span, steps=KEY_STEPS):
    """The step among 1, 2 and 5 times a power of ten nearest (in ratio) to
    ``span / steps``: 32 to 79 steps for the default 50, on a grid of round
    numbers (a value set from code such as 0.5 stays 0.5 on the slider)."""
    target = span / steps
    power = 10.0 ** np.floor(np.log10(target))
    candidates = np.array([1, 2, 5, 10]) * power
    return float(candidates[np.argmin(np.abs(np.log(candidates / target)))])


def clean(value):
    """A slider value without binary noise (0.14000000000000001 -> 0.14):
    12 significant digits, far below every tolerance of the solvers."""
    return float(f"{float(value):.12g}")


def slider(description, value, vmax, steps=None, fmt=".3f", vmin=0.0):
    """A FloatSlider: one arrow key is one step (:func:`nice_step` of the
    range, or exactly 1/``steps`` of it), PageUp/PageDown 10 % of the range
    (the readout's script), Home/End the ends."""
    import ipywidgets as widgets

    step = nice_step(vmax - vmin) if steps is None else (vmax - vmin) / steps
    return widgets.FloatSlider(
        value=value, min=vmin, max=vmax, step=step, description=description,
        readout_format=fmt, continuous_update=True, layout=widgets.Layout(width="440px"),
    )


def checkbox(value, description):
    """The "snap to ..." checkbox."""
    import ipywidgets as widgets

    return widgets.Checkbox(value=value, description=description, indent=False,
                            layout=widgets.Layout(width="200px"))


def segments(lines, **kwargs):
    """A LineCollection of ``lines``, shape (m, 2, 2)."""
    from matplotlib.collections import LineCollection

    return LineCollection(lines, **kwargs)
