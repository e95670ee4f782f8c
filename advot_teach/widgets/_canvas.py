"""Canvas plumbing for the explorers: a matplotlib figure shown as PNG frames.

* :class:`FigureView` (an ``anywidget``) shows the frames in the browser on
  a canvas that is an image to assistive technology and never takes focus;
  the first frame is part of its state, so it shows before the kernel
  answers.  It reports the width the page gives it.
* :class:`LiveFigure` renders a figure with matplotlib's Agg canvas (public
  API only) and sends the browser only the rectangles that changed.
* :class:`Readout` (an ``anywidget``): the text line under the controls,
  announced by screen readers (``aria-live="polite"``), with its numbers as
  ``data-*`` attributes; it also names the explorer's sliders for screen
  readers and rounds their spoken values.
* :class:`Backdrop` draws a second, static figure (legends, axes, curves:
  everything that never moves) as one cached image under the live figure,
  so that a redraw renders only what moves.
* :func:`render_rgba` renders a figure to pixels (for the static PNG).

Why not ipympl: its canvas takes focus on Tab and swallows every key (a
keyboard trap), shows nothing until the kernel answers a request (blank
explorers during Run All), needs a browser round trip per ``draw_idle`` and
sends whole-figure frames; none of that is configurable through its public
API.
"""
from __future__ import annotations

import io
import pathlib
import time

import anywidget
import numpy as np
import traitlets
from matplotlib.artist import Artist
from matplotlib.image import AxesImage
from matplotlib.transforms import Affine2D
from matplotlib.backends.backend_agg import FigureCanvasAgg

#: Resolution of every explorer figure (pixels per inch at pixel ratio 1).
DPI = 100
#: PNG compression of the frames: zlib level 1 encodes about 3x faster than
#: the default 6 for slightly larger messages.
PNG_LEVEL = 1
#: Changed regions closer than this (pixels) are sent as one rectangle.
_GAP = 24

_STATIC = pathlib.Path(__file__).with_name("static")


class FigureView(anywidget.AnyWidget):
    """Browser side of a :class:`LiveFigure` (see ``static/figure.js``)."""

    _esm = _STATIC / "figure.js"
    _css = """
    .advot-figure { width: 100%; min-width: 0; overflow: hidden; }
    .advot-figure canvas { display: block; max-width: 100%; height: auto; }
    """
    #: The whole current frame (PNG), shown by views before the kernel answers.
    frame = traitlets.Bytes(b"").tag(sync=True)
    #: Serial number of ``frame``; views ignore frames older than what they show.
    serial = traitlets.Int(0).tag(sync=True)
    #: [width, height, pixel ratio]: CSS pixels and device pixels per CSS pixel.
    size = traitlets.List([0, 0, 1]).tag(sync=True)
    #: Text alternative of the figure (aria-label).
    alt = traitlets.Unicode("").tag(sync=True)
    #: Width (CSS pixels) the page gives the figure; 0 until a view reports it.
    width = traitlets.Int(0).tag(sync=True)
    #: The screen's device pixels per CSS pixel (capped at 2).
    pixel_ratio = traitlets.Float(1.0).tag(sync=True)


class Readout(anywidget.AnyWidget):
    """An explorer's readout line (see ``static/readout.js``)."""

    _esm = _STATIC / "readout.js"
    _css = """
    .advot-risk-readout { font-family: monospace; font-size: 1.3em; font-weight: 600;
                          padding: 2px 0; overflow-wrap: anywhere; }
    """
    text = traitlets.Unicode("").tag(sync=True)
    #: Machine-readable values, rendered as ``data-<key>`` attributes.
    data = traitlets.Dict({}).tag(sync=True)
    #: Accessible names of the explorer's sliders, in page order.
    slider_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    #: Snap stops of the first slider, sorted (empty: the keys move by its step).
    stops = traitlets.List(traitlets.Float()).tag(sync=True)


def encode_png(pixels) -> bytes:
    """PNG bytes of an RGBA array, shape (h, w, 4), uint8.

    Opaque pixels (the figures are) are sent as RGB: a quarter fewer bytes
    to compress.
    """
    from PIL import Image

    if (pixels[..., 3] == 255).all():
        image = Image.fromarray(np.ascontiguousarray(pixels[..., :3]), "RGB")
    else:
        image = Image.fromarray(np.ascontiguousarray(pixels), "RGBA")
    with io.BytesIO() as out:
        image.save(out, format="png", compress_level=PNG_LEVEL)
        return out.getvalue()


def _runs(mask, gap):
    """(start, stop) of the runs of True in 1-D ``mask``, joining runs
    separated by fewer than ``gap`` False entries."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap)
    starts = np.r_[idx[0], idx[breaks + 1]]
    stops = np.r_[idx[breaks], idx[-1]] + 1
    return list(zip(starts.tolist(), stops.tolist()))


def changed_rects(changed, gap=_GAP):
    """Rectangles covering the True pixels of ``changed`` (shape (h, w)).

    Columns are split into bands of changes (a gap of ``gap`` unchanged
    columns separates two bands), then each band's rows likewise: two panels
    side by side, or one above the other, become separate rectangles.

    Returns
    -------
    list of (x, y, w, h)
    """
    rects = []
    for x0, x1 in _runs(changed.any(axis=0), gap):
        band = changed[:, x0:x1]
        for y0, y1 in _runs(band.any(axis=1), gap):
            cols = np.flatnonzero(band[y0:y1].any(axis=0))
            rects.append((x0 + int(cols[0]), y0, int(cols[-1] - cols[0]) + 1, y1 - y0))
    return rects


class LiveFigure:
    """A figure rendered with Agg and sent to a :class:`FigureView`.

    Parameters
    ----------
    fig : Figure
        Gets an Agg canvas.
    view : FigureView
    zoom : float
        Shown this many times larger than its size in inches at ``DPI``
        (text and lines too; see :func:`advot_teach.widgets.set_zoom`).
    """

    def __init__(self, fig, view, zoom=1.0):
        self.fig, self.view, self.zoom = fig, view, zoom
        FigureCanvasAgg(fig)
        self._last = None  # uint32 pixels of the last frame sent, shape (h, w)
        self.frames = 0
        view.on_msg(self._on_msg)

    @property
    def ratio(self) -> float:
        return float(self.view.pixel_ratio)

    def render(self):
        """Draw the figure; its pixels as uint32, shape (h, w) (a view of the buffer)."""
        self.fig.set_dpi(DPI * self.ratio * self.zoom)  # zoom: everything larger on the page
        canvas = self.fig.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).view(np.uint32)[..., 0]

    def push(self, full=False, started=None):
        """Render and send what changed since the last frame (everything if ``full``).

        The frame is sent from the calling thread before this returns, so a
        kernel busy with one slider value answers the next one only after
        its frame is on its way: moves made meanwhile are coalesced by the
        front end (ipywidgets sends the latest value once the kernel is
        idle), and the last value is always drawn.

        ``started`` (``(time.perf_counter(), time.process_time())`` when the
        move arrived) puts the kernel's wall and CPU milliseconds for the
        frame into the message, for the browser benchmark (the view shows
        them as ``data-kernel-ms``, e.g. ``"31.2,29.8"``).
        """
        pixels = self.render()
        self.frames += 1
        h, w = pixels.shape
        size = [int(round(w / self.ratio)), int(round(h / self.ratio)), self.ratio]
        if full or self._last is None or self._last.shape != pixels.shape:
            png = encode_png(pixels.view(np.uint8).reshape(*pixels.shape, 4))
            # the state keeps the whole frame for views that open later
            with self.view.hold_sync():
                self.view.size, self.view.frame, self.view.serial = size, png, self.frames
            self.view.send({"type": "full", "serial": self.frames, "size": size, "ms": _ms(started)},
                           buffers=[png])
        else:
            rects = changed_rects(pixels != self._last)
            if rects:
                rgba = pixels.view(np.uint8).reshape(*pixels.shape, 4)
                buffers = [encode_png(rgba[y:y + h, x:x + w]) for x, y, w, h in rects]
                self.view.send({"type": "patch", "serial": self.frames, "rects": [r[:2] for r in rects],
                                "ms": _ms(started)}, buffers=buffers)
        self._last = pixels.copy()

    def _on_msg(self, widget, content, buffers):
        if isinstance(content, dict) and content.get("type") == "ready" and self._last is not None:
            self.push(full=True)


class NearestImage(AxesImage):
    """An RGB(A) AxesImage drawn by nearest-neighbour lookup in numpy.

    For an image much coarser than the screen (the classifier map: 160 x
    160 values on about 400 x 400 pixels) Agg's general resampler takes
    about 10 ms a frame; one fancy-indexing gather takes about 1 ms.  Other
    images (colormapped, non-affine, "unsampled") are drawn as usual.
    """

    @classmethod
    def replacing(cls, image):
        """Put a NearestImage in place of the AxesImage ``image`` (same data,
        extent, origin, z-order and clipping) and return it."""
        ax = image.axes
        fast = cls(ax, origin=image.origin, extent=image.get_extent(), interpolation=image.get_interpolation())
        fast.set_data(image.get_array())
        fast.set_zorder(image.get_zorder())
        fast.set_alpha(image.get_alpha())
        fast.set_clip_path(ax.patch)
        image.remove()
        ax.add_image(fast)
        return fast

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        A = self.get_array()
        trans = self.get_transform()
        if (unsampled or A is None or A.ndim != 3 or not trans.is_affine
                or self.get_interpolation() != "nearest"):
            return super().make_image(renderer, magnification, unsampled)
        x0, x1, y0, y1 = self.get_extent()
        (left, bottom), (right, top) = trans.transform([[x0, y0], [x1, y1]])
        if right <= left or top <= bottom:  # flipped axes: the general path
            return super().make_image(renderer, magnification, unsampled)
        clip = self.axes.bbox
        px0, py0 = int(np.floor(max(left, clip.x0))), int(np.floor(max(bottom, clip.y0)))
        px1, py1 = int(np.ceil(min(right, clip.x1))), int(np.ceil(min(top, clip.y1)))
        if px1 <= px0 or py1 <= py0:
            return None, 0, 0, None
        h, w = A.shape[:2]
        # source cell under each screen pixel's centre; rows bottom first (what draw_image takes)
        cols = np.clip(((np.arange(px0, px1) + 0.5 - left) / (right - left) * w).astype(int), 0, w - 1)
        rows = np.clip(((np.arange(py0, py1) + 0.5 - bottom) / (top - bottom) * h).astype(int), 0, h - 1)
        if self.origin == "upper":
            rows = h - 1 - rows
        rgba = self.to_rgba(A, bytes=True, alpha=self.get_alpha())
        return rgba[rows[:, None], cols[None, :]], px0, py0, Affine2D()


def _ms(started):
    """[wall, CPU] milliseconds since ``started`` = (perf_counter, process_time)."""
    if started is None:
        return None
    return [round(1000 * (time.perf_counter() - started[0]), 1), round(1000 * (time.process_time() - started[1]), 1)]


def render_rgba(fig, dpi):
    """Render ``fig`` at ``dpi`` into an RGBA array.

    Returns
    -------
    ndarray of uint8, shape (height, width, 4)
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    width, height = (int(round(v * dpi)) for v in fig.get_size_inches())
    return np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(height, width, 4)


class Backdrop(Artist):
    """The static figure, rendered once per dpi and drawn as one image.

    It sits under everything else in the live figure.  Rendering happens
    on a separate figure and canvas, so it is safe inside a draw of the live
    figure.

    Parameters
    ----------
    static_fig : Figure
        With its own (Agg) canvas.
    rc : dict
        matplotlib rc parameters to render it with.
    """

    #: Rendered variants kept (each about 2 MB for a 1000 x 500 figure).
    cache_size = 8

    def __init__(self, static_fig, rc):
        super().__init__()
        self.static_fig = static_fig
        self._rc = rc
        self._cache = {}
        self.key = None
        self.set_zorder(-100)

    def invalidate(self):
        """Forget every rendered image (after the static figure changed for good)."""
        self._cache.clear()
        self.stale = True

    def select(self, key):
        """The static figure now shows its variant ``key`` (e.g. the set of
        legend entries): rendered once per key, so a variant that comes back
        as the slider moves to and fro costs nothing."""
        key = repr(key)  # categories may come as lists
        if key != self.key:
            self.key = key
            self.stale = True

    def image(self, dpi):
        """The static figure at ``dpi``, shape (height, width, 4), bottom row first."""
        key = (dpi, self.key)
        if key not in self._cache:
            import matplotlib

            with matplotlib.rc_context(self._rc):
                self.static_fig.set_dpi(dpi)
                self.static_fig.canvas.draw()
            if len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = np.asarray(self.static_fig.canvas.buffer_rgba())[::-1].copy()
        return self._cache[key]

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
