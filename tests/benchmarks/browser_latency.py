"""Key press to new pixels in a real Chromium: explorers against a trivial
ipympl figure of the same pixel size, side by side in one run.  (Not a test:
prints numbers.)

What is measured, in the page (``performance.now()``):

* **latency**: from the ``keydown`` of one ArrowRight/ArrowLeft on a slider
  handle to the first ``drawImage`` on that figure's visible canvas (the new
  pixels).  Targets are pressed in turn, round-robin, so that every target
  sees the same load.
* **drag**: the slider handle is dragged across the slider with the mouse
  (``--drag-moves`` moves, one every ``--drag-interval`` ms); frames/s = frames
  drawn during the drag / drag time; "last frame" = from releasing the mouse
  to the last frame; and whether that last frame shows the slider's final
  value (the explorer's readout ``data-eps`` against the slider's value).

Targets: the notebook 05 explorer (``three_blobs(10, seed=0)``,
``eps_max=0.8``) and the K = 3, 300-point explorer (``three_blobs(100)``),
each with its *floor*: a figure with one axes whose line moves with its own
slider, drawn by ipympl the documented way (``set_ydata`` + ``draw_idle()``),
resized to the explorer's pixel size once the explorer is laid out.

Usage::

    python tests/benchmarks/browser_latency.py [--presses 30] [--width 1400 --height 900]

JupyterLab runs on 127.0.0.1 from this venv; Debian's ``chromium`` is driven
by Playwright (never ``playwright install``).  Servers are stopped by PID.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_notebook

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "browser"))
import browser_helpers as bh  # noqa: E402

NOTEBOOK = "latency.ipynb"

#: (name, Python expression of the explorer)
EXPLORERS = [
    ("notebook 05 explorer", "epsilon_explorer(*datasets.three_blobs(10, seed=0), eps_max=0.8)"),
    ("K = 3, 300 points", "epsilon_explorer(*datasets.three_blobs(100))"),
]

SETUP = """\
%matplotlib widget
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from advot_teach import datasets
from advot_teach.widgets import epsilon_explorer
plt.ioff()

def floor_for(explorer, tag):
    # A trivial figure the documented ipympl way, kept at the explorer's pixel size.
    w, h, _ = explorer.view.size
    fig = plt.figure(figsize=(w / 100, h / 100), dpi=100)
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    line, = ax.plot(x, 0.5 * x)
    ax.set_ylim(0, 1)
    canvas = fig.canvas
    canvas.header_visible = canvas.footer_visible = canvas.toolbar_visible = False
    canvas.resizable = False
    slider = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.02, description="floor")

    def move(change):
        line.set_ydata(change["new"] * x)
        fig.canvas.draw_idle()

    def follow(change):
        w, h, _ = change["new"]
        fig.set_size_inches(w / 100, h / 100)
        fig.canvas.draw_idle()

    slider.observe(move, names="value")
    explorer.view.observe(follow, names="size")
    return widgets.VBox([slider, canvas]).add_class(tag)
"""

_INSTRUMENT_JS = """
window.__bench = {draws: [], keys: []};
(() => {
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const id = this.canvas && this.canvas.dataset ? this.canvas.dataset.benchId : undefined;
    if (id) {
      // the explorer's view says how long the kernel took for this frame
      const view = this.canvas.closest('.advot-figure');
      window.__bench.draws.push([id, performance.now(), view && view.dataset.kernelMs ?
                                 view.dataset.kernelMs.split(',').map(Number) : null]);
    }
    return draw.apply(this, args);
  };
  document.addEventListener('keydown', () => window.__bench.keys.push(performance.now()), true);
})();
"""

_TAG_JS = """
(targets) => {
  const out = {};
  for (const [id, selector, canvasSel] of targets) {
    const box = document.querySelector(selector);
    if (!box) { out[id] = null; continue; }
    box.querySelectorAll(canvasSel).forEach(c => { c.dataset.benchId = id; });
    const canvas = box.querySelector(canvasSel);
    const handle = box.querySelector('.noUi-handle');
    handle.dataset.benchHandle = id;
    out[id] = {width: canvas.width, height: canvas.height};
  }
  return out;
}
"""


def write_notebook(folder: Path) -> None:
    cells = [new_code_cell(SETUP)]
    for i, (_, expr) in enumerate(EXPLORERS):
        cells.append(new_code_cell(f"explorer_{i} = {expr}\nexplorer_{i}.widget.add_class('bench-explorer-{i}')\n"
                                   f"explorer_{i}"))
        cells.append(new_code_cell(f"floor_for(explorer_{i}, 'bench-floor-{i}')"))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, folder / NOTEBOOK)


def targets():
    """(id, box selector, canvas selector, label) of every measured figure."""
    out = []
    for i, (name, _) in enumerate(EXPLORERS):
        out.append((f"floor-{i}", f".bench-floor-{i}", ".jupyter-matplotlib-canvas-div canvas", f"floor for {name}"))
        out.append((f"explorer-{i}", f".bench-explorer-{i}", ".advot-figure canvas", name))
    return out


def draws_after(page, target, t0):
    return page.evaluate("([id, t0]) => window.__bench.draws.filter(d => d[0] === id && d[1] > t0).map(d => d[1])",
                         [target, t0])


def kernel_ms_after(page, target, t0):
    """Kernel [wall, CPU] milliseconds of the explorer frames drawn after ``t0`` (one per frame)."""
    rows = page.evaluate("([id, t0]) => window.__bench.draws.filter(d => d[0] === id && d[1] > t0)", [target, t0])
    seen, out = set(), []
    for _, t, ms in rows:
        if ms is not None and round(t) not in seen:
            seen.add(round(t))
            out.append(ms)
    return out


def press_and_time(page, target, key, timeout=10.0, quiet=0.25, kernel=None):
    """Press ``key`` on the target's slider; ms from keydown to its first new
    frame (and the kernel's ms for it appended to ``kernel``)."""
    n_keys = page.evaluate("() => window.__bench.keys.length")
    page.locator(f'[data-bench-handle="{target}"]').press(key)
    t_key = page.evaluate(f"() => window.__bench.keys[{n_keys}]")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        frames = draws_after(page, target, t_key)
        if frames:
            last = page.evaluate("() => performance.now()")
            if last - max(frames) > quiet * 1000:
                if kernel is not None:
                    kernel.extend(kernel_ms_after(page, target, t_key)[:1])
                return frames[0] - t_key
        time.sleep(0.02)
    return None


def drag(page, target, moves, interval_ms):
    """Drag the target's slider handle right across the slider; frame rate and last frame."""
    handle = page.locator(f'[data-bench-handle="{target}"]')
    handle.press("Home")
    time.sleep(1.5)
    box = handle.bounding_box()
    track = page.evaluate("""(id) => { const h = document.querySelector(`[data-bench-handle="${id}"]`);
        const r = h.closest('.noUi-target').getBoundingClientRect(); return [r.left, r.width]; }""", target)
    x0, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    t_down = page.evaluate("() => performance.now()")
    for k in range(1, moves + 1):
        page.mouse.move(x0 + (track[0] + track[1] - x0) * k / moves, y)
        time.sleep(interval_ms / 1000)
    t_up = page.evaluate("() => performance.now()")
    page.mouse.up()
    end = time.monotonic() + 30
    while time.monotonic() < end:
        frames = draws_after(page, target, t_down)
        now = page.evaluate("() => performance.now()")
        if frames and now - max(frames) > 1500:
            break
        time.sleep(0.1)
    frames = sorted(set(round(t) for t in draws_after(page, target, t_down)))  # one frame: one task
    during = [t for t in frames if t <= t_up]
    kernel = kernel_ms_after(page, target, t_down)
    return {"fps": 1000 * len(during) / (t_up - t_down), "last_frame_ms": (max(frames) - t_up) if frames else None,
            "frames": len(frames), "drag_kernel_ms": np.median(kernel, axis=0).tolist() if kernel else None}


def final_value_drawn(page, i):
    """The explorer's readout shows the slider's final value (rounded as the slider shows it)."""
    return page.evaluate("""(i) => { const box = document.querySelector('.bench-explorer-' + i);
        const r = box.querySelector('.advot-risk-readout'); const s = box.querySelector('.widget-readout');
        return [Number(r.dataset.eps), Number(s.textContent)]; }""", i)


def stats(samples):
    a = np.array([s for s in samples if s is not None], dtype=float)
    return {"n": len(a), "median": float(np.median(a)), "p95": float(np.percentile(a, 95)),
            "missed": sum(s is None for s in samples)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=30, help="key presses per figure")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--drag-moves", type=int, default=60)
    parser.add_argument("--drag-interval", type=float, default=33.0, help="ms between mouse moves")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    chromium = bh.chromium_executable()
    if chromium is None:
        sys.exit("chromium not found on PATH (apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="advot-latency-"))
    folder = work / "notebooks"
    folder.mkdir()
    write_notebook(folder)
    server = bh.start_jupyterlab(folder, work / "home")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=bh.CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.add_init_script(_INSTRUMENT_JS)
            n_cells = len(nbformat.read(folder / NOTEBOOK, as_version=4).cells)
            bh.open_in_lab(page, server, NOTEBOOK, n_cells)
            bh.run_all_cells(page)
            time.sleep(3)  # explorers lay out for the page's width; floors follow
            bh.wait_kernel_idle(page)
            sizes = page.evaluate(_TAG_JS, [t[:3] for t in targets()])
            missing = [t[0] for t in targets() if not sizes.get(t[0])]
            if missing:
                sys.exit(f"figures not found on the page: {missing}")
            samples = {t[0]: [] for t in targets()}
            kernel = {t[0]: [] for t in targets()}
            for k in range(args.presses):
                key = "ArrowRight" if k < args.presses // 2 else "ArrowLeft"
                for target, *_ in targets():
                    samples[target].append(press_and_time(page, target, key, kernel=kernel[target]))
            drags = {t[0]: drag(page, t[0], args.drag_moves, args.drag_interval) for t in targets()}
            time.sleep(1)
            finals = [final_value_drawn(page, i) for i in range(len(EXPLORERS))]
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"Chromium {args.width}x{args.height}, file browser open; {args.presses} key presses per figure, "
          f"round-robin; drag: {args.drag_moves} mouse moves every {args.drag_interval:.0f} ms")
    print(f"{'figure':34s} {'pixels':>9s} {'median':>8s} {'p95':>8s} {'x floor':>14s} "
          f"{'drag fps':>9s} {'last frame':>11s}")
    report = {}
    for target, _, _, label in targets():
        s = stats(samples[target])
        report[target] = {**s, **drags[target], **sizes[target]}
        line = (f"{label:34s} {sizes[target]['width']:4d}x{sizes[target]['height']:<4d} "
                f"{s['median']:6.0f}ms {s['p95']:6.0f}ms")
        if target.startswith("explorer"):
            floor = report[target.replace("explorer", "floor")]
            line += f"  {s['median'] / floor['median']:4.2f} / {s['p95'] / floor['p95']:4.2f}"
        else:
            line += " " * 14
        last = drags[target]["last_frame_ms"]
        line += f" {drags[target]['fps']:8.1f} {last if last is None else round(last):>9}ms"
        if s["missed"]:
            line += f"  ({s['missed']} presses drew nothing)"
        print(line)
    for target, _, _, label in targets():
        if kernel[target]:
            wall, cpu = np.median(kernel[target], axis=0)
            drag_wall, drag_cpu = drags[target]["drag_kernel_ms"]
            print(f"{label}: kernel per key press median {wall:.0f} ms wall ({cpu:.0f} ms CPU); "
                  f"per drag frame median {drag_wall:.0f} ms wall ({drag_cpu:.0f} ms CPU)")
    for i, (eps_drawn, eps_slider) in enumerate(finals):
        print(f"after the drag, {EXPLORERS[i][0]}: readout eps {eps_drawn:.4f}, slider {eps_slider:.3f} -> "
              f"{'last value drawn' if abs(eps_drawn - eps_slider) < 1e-3 else 'LAST VALUE NOT DRAWN'}")
    print("x floor = explorer / trivial ipympl figure of the same size (median / p95); goal <= 1.3 / 1.5")
    return report


if __name__ == "__main__":
    main()
