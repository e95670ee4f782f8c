"""Layout checks in the browser: figures inside their output area, no sideways
scrolling, JupyterLab's file browser, links, Tab order, explorer screenshots.

Like ``browser_helpers`` nothing here asserts: the functions return what is
wrong (empty lists when all is well) for the tests to report.  Explorers are
found with :func:`browser_helpers.find_explorers`, which marks their boxes,
sliders and figures with ``data-advot-*`` attributes.
"""
from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path

import numpy as np

import browser_helpers as bh

#: Laptop viewports of the layout checks (CSS pixels).
LAPTOP_SIZES = [(1366, 768), (1400, 900)]
#: The projector of the lecture app.
PROJECTOR = (1920, 1080)

# The figure of an explorer is its ipympl canvas (or the Image widget of the
# fallback); its output area is the notebook output (Lab and Voila alike).
_LAYOUT_JS = r"""
(i) => {
  const box = document.querySelector(`[data-advot-box="${i}"]`);
  const holder = document.querySelector(`[data-advot-figure="${i}"]`);
  if (!box || !holder) return {found: false};
  const fig = holder.matches('canvas, img') ? holder
            : (holder.querySelector('canvas') || holder.querySelector('img') || holder);
  const area = box.closest('.jp-OutputArea-output') || box.parentElement;
  const r = (e) => { const b = e.getBoundingClientRect();
                     return {left: b.left, right: b.right, top: b.top, bottom: b.bottom,
                             width: b.width, height: b.height}; };
  // every ancestor that scrolls sideways (content wider than its box)
  const scrolling = [];
  for (let e = fig; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX) || e === document.scrollingElement;
    if (scrolls && e.scrollWidth > e.clientWidth + 1) {
      scrolling.push({element: e.tagName.toLowerCase() + '.' + String(e.className).split(' ').join('.'),
                      scrollWidth: e.scrollWidth, clientWidth: e.clientWidth});
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1 && !scrolling.some(s => s.element.startsWith('html')))
    scrolling.push({element: 'page', scrollWidth: page.scrollWidth, clientWidth: page.clientWidth});
  return {found: true, figure: r(fig), box: r(box), area: r(area), scrolling,
          canvas_px: fig.tagName === 'CANVAS' ? fig.width : (fig.naturalWidth || null),
          dpr: window.devicePixelRatio};
}
"""


def explorer_layout(page, index: int) -> dict:
    """Rectangles (CSS px) of explorer ``index``'s figure, box and output area,
    and every ancestor of the figure that scrolls sideways."""
    return page.evaluate(_LAYOUT_JS, index)


def layout_problems(layout: dict, where: str) -> list[str]:
    """What is wrong with one explorer's :func:`explorer_layout` (empty: fits)."""
    if not layout.get("found"):
        return [f"{where}: explorer not found on the page"]
    problems = []
    fig, area, box = layout["figure"], layout["area"], layout["box"]
    if fig["width"] < 1 or fig["height"] < 1:
        problems.append(f"{where}: the figure has no size ({fig['width']:.0f}x{fig['height']:.0f})")
    for name, rect in (("figure", fig), ("explorer", box)):
        if rect["left"] < area["left"] - 1 or rect["right"] > area["right"] + 1:
            problems.append(f"{where}: the {name} spans x = {rect['left']:.0f}..{rect['right']:.0f} px, "
                            f"outside its output area {area['left']:.0f}..{area['right']:.0f} px")
    for s in layout["scrolling"]:
        problems.append(f"{where}: {s['element']} scrolls sideways "
                        f"({s['scrollWidth']} px of content in {s['clientWidth']} px)")
    return problems


def wait_layout_settled(page, indices, busy=None, settle: float = 1.5, timeout: float = 60.0) -> bool:
    """Wait until the explorers' figure sizes and pictures stop changing (after
    a resize the explorers lay themselves out again in the kernel)."""
    def state():
        out = []
        for i in indices:
            lay = explorer_layout(page, i)
            out.append((lay.get("figure", {}).get("width"), lay.get("figure", {}).get("height"),
                        bh.snapshot(page, i)["picture"]))
        return out

    last, since = state(), time.monotonic()
    end = since + timeout
    while time.monotonic() < end:
        time.sleep(0.25)
        now = state()
        if now != last or (busy is not None and busy()):
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            return True
    return False


def screenshot_explorer(page, index: int, name: str) -> Path:
    """PNG of explorer ``index`` (its whole box) in tests/browser/artifacts/."""
    bh.ARTIFACTS.mkdir(exist_ok=True)
    path = bh.ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    box = page.locator(f'[data-advot-box="{index}"]')
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(path))
    return path


def figure_pixels(page, index: int) -> np.ndarray:
    """The figure of explorer ``index`` as seen on screen, shape (h, w, 3)."""
    from io import BytesIO

    from PIL import Image

    fig = page.locator(f'[data-advot-figure="{index}"]')
    canvas = fig.locator("canvas")
    target = canvas.first if canvas.count() else fig
    target.scroll_into_view_if_needed()
    return np.asarray(Image.open(BytesIO(target.screenshot())).convert("RGB"))


# ---- JupyterLab's file browser ---------------------------------------------
_FILE_BROWSER_JS = r"""
() => {
  const fb = document.querySelector('#filebrowser');
  if (!fb) return null;
  const b = fb.getBoundingClientRect();
  return {visible: !fb.classList.contains('lm-mod-hidden') && b.width > 50, width: b.width};
}
"""


def open_file_browser(page, timeout: float = 20.0) -> float:
    """Open JupyterLab's file browser in the left sidebar; return its width (px)."""
    def state():
        return page.evaluate(_FILE_BROWSER_JS) or {"visible": False}

    if not state()["visible"]:
        tab = page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="filebrowser"]')
        tab.first.click()
    return bh.wait_for(lambda: state()["visible"] and state()["width"],
                       "the file browser to open", timeout)


# ---- links and Tab ---------------------------------------------------------
def page_links(page) -> list[str]:
    """Absolute URLs of every ``a[href]`` on the page."""
    return page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")


def link_problems(page, base_url: str) -> tuple[list[str], list[str]]:
    """Check every link of the page.

    Same-page anchors must name an element of the page; other links to the
    server must answer 200; links elsewhere must be https (they cannot be
    fetched on a machine without network, so they are listed, not fetched).

    Returns
    -------
    problems : list of str
    external : list of str
    """
    problems, external = [], []
    here = urllib.parse.urlsplit(page.url)
    for href in page_links(page):
        url = urllib.parse.urlsplit(href)
        if url.netloc != here.netloc:
            external.append(href)
            if url.scheme != "https":
                problems.append(f"external link is not https: {href}")
            continue
        if url.path == here.path and url.fragment:
            # as the browser looks it up: the fragment as written, then decoded
            ids = [url.fragment, urllib.parse.unquote(url.fragment)]
            if not page.evaluate("(ids) => ids.some(id => !!document.getElementById(id))", ids):
                problems.append(f"anchor #{ids[1]} names no element of the page")
            continue
        status = bh._http_status(base_url + url.path + (f"?{url.query}" if url.query else ""), timeout=10)
        if status != 200:
            problems.append(f"{href} answers {status}")
    return problems, external


_FOCUS_JS = r"""
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const box = e.closest('[data-advot-box]');
  const slider = e.closest('[data-advot-slider]');
  return {tag: e.tagName.toLowerCase(), cls: String(e.className || ''),
          box: box ? box.getAttribute('data-advot-box') : null,
          slider: slider && e.classList.contains('noUi-handle') ? slider.getAttribute('data-advot-slider') : null,
          canvas: e.tagName === 'CANVAS' || !!e.closest('.jupyter-matplotlib')};
}
"""


def tab_through(page, max_presses: int = 200) -> list[dict]:
    """Press Tab from the top of the page until focus comes back round (or
    ``max_presses``); return where focus went at each press."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator("body").click(position={"x": 2, "y": 2})
    visited = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS_JS)
        if focus is not None and visited and focus == visited[0] and len(visited) > 2:
            break  # wrapped around
        visited.append(focus)
    return visited
