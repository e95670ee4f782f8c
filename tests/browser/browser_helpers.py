"""Drive JupyterLab and Voila in a real headless Chromium (Playwright).

Servers (JupyterLab, Voila) are started from the project venv on
127.0.0.1 with an empty token and isolated Jupyter config/runtime/data
dirs, and stopped by PID (whole process group).  Page helpers open a
notebook, run it as a student would (menu Run > Run All Cells), collect
error outputs, move the eps-slider with the keyboard and wait until the
figure has changed and then stopped changing.

Nothing here asserts; the test modules do (``slider_problems`` lists what
is wrong).  Every wait polls a condition
with a generous deadline and raises ``TimeoutError`` naming what it waited
for.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tokenize
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

#: Environment variable pointing the suite at another notebooks folder
#: (e.g. a scratch folder while the course notebooks are being written).
NOTEBOOKS_ENV = "ADVOT_BROWSER_NOTEBOOKS"
#: ``ADVOT_SKIP_BROWSER=1`` skips every browser test (otherwise a missing
#: Chromium is a failure, not a skip).
SKIP_ENV = "ADVOT_SKIP_BROWSER"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Marker in a code cell's source for a notebook that builds an eps-slider.
EXPLORER_MARKER = "explorer("
READOUT_CLASS = "advot-risk-readout"

# Python error lines in a stderr output ("ValueError: ..." or a bare
# "KeyboardInterrupt"), as opposed to warnings ("...: UserWarning: ...").
_ERROR_LINE = re.compile(r"^\s*\w*(Error|Exception|Interrupt)\b", re.MULTILINE)
_NUMBER = r"([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
_EPS_RE = re.compile(r"(?:eps|ε|epsilon)\s*=\s*" + _NUMBER, re.IGNORECASE)
_RISK_RE = re.compile(r"R\s*(?:\*|\^\*|\^\{\*\}|⋆)\s*=\s*" + _NUMBER)


# --------------------------------------------------------------------------
# notebooks
# --------------------------------------------------------------------------
def notebooks_dir() -> Path:
    """Folder whose notebooks the suite serves (copied, never modified)."""
    override = os.environ.get(NOTEBOOKS_ENV)
    return Path(override).resolve() if override else REPO / "notebooks"


def calls_explorer(source: str) -> bool:
    """True if code ``source`` calls ``explorer(...)`` or ``<something>_explorer(...)``.

    Comments and strings do not count (a placeholder such as
    ``# EXPLORER: coupling_explorer(...)`` is not an explorer yet).
    """
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())  # IPython magics
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                  if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Not plain Python: fall back to the text without comments.
        return any(EXPLORER_MARKER in line.split("#", 1)[0] for line in code.splitlines())
    return any(a.type == tokenize.NAME and (a.string == "explorer" or a.string.endswith("_explorer"))
               and b.type == tokenize.OP and b.string == "("
               for a, b in zip(tokens, tokens[1:]))


def explorer_notebooks(folder: Path) -> list[str]:
    """Names of the notebooks in ``folder`` with a code cell calling an explorer.

    Parameters
    ----------
    folder : Path
        Folder searched (not recursively) for ``*.ipynb``.

    Returns
    -------
    names : list of str
        Sorted file names with a code cell for which :func:`calls_explorer`
        is true.
    """
    names = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.cell_type == "code" and calls_explorer(c.source) for c in nb.cells):
            names.append(path.name)
    return names


def copy_notebooks(src: Path, dst: Path) -> Path:
    """Copy the folder ``src`` to ``dst`` so running cells never touches ``src``."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(
        ".ipynb_checkpoints", "__pycache__", ".virtual_documents"))
    return dst


# --------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------
def chromium_executable() -> str | None:
    """Path of Debian's ``chromium`` on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for a Jupyter process with config/runtime/data under ``home``.

    JupyterLab user settings are pre-seeded: no news/update toasts (no
    network anyway) and windowing off, so every cell is in the DOM and can
    be inspected.
    """
    env = dict(os.environ)
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
        "IPYTHONDIR": home / "ipython",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("MPLBACKEND", None)  # the notebooks choose their backend
    settings = {
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }
    for name, value in settings.items():
        path = dirs["JUPYTERLAB_SETTINGS_DIR"] / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    return env


def venv_script(name: str) -> str:
    """``name`` from the interpreter's bin/ folder (the project venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


@dataclass
class Server:
    """A server process started in its own process group."""

    name: str
    url: str
    process: subprocess.Popen
    log_path: Path
    extra: dict = field(default_factory=dict)

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group (server and what it spawned), then SIGKILL."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:  # leftovers of the group (kernels ignore a server's death)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait(5)
        # keep the log where CI can show it
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(self.log_path, ARTIFACTS / self.log_path.name)


def _http_status(url: str, timeout: float = 2.0) -> int | None:
    """HTTP status of GET ``url``; None if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


def _wait_ready(server: Server, probe_url: str, ok, deadline: float) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with code {server.process.returncode} "
                f"before it was ready:\n{server.log_tail()}")
        if ok(_http_status(probe_url)):
            return
        time.sleep(0.25)
    server.stop()
    raise TimeoutError(f"{server.name} not ready after {deadline:.0f} s "
                       f"({probe_url}):\n{server.log_tail()}")


def _spawn(name: str, cmd: list[str], cwd: Path, env: dict, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")
    try:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    finally:
        log.close()  # the child keeps its own descriptor


def start_jupyterlab(root_dir: Path, home: Path, deadline: float = 90.0) -> Server:
    """Start JupyterLab serving ``root_dir``; return once /api/status answers 200."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.allow_root=True",
        # REST calls from the test process (kernel shutdown) carry no XSRF cookie.
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log_path = home / "jupyterlab.log"
    proc = _spawn("JupyterLab", cmd, root_dir, isolated_env(home), log_path)
    server = Server("JupyterLab", f"http://127.0.0.1:{port}", proc, log_path)
    _wait_ready(server, server.url + "/api/status", lambda s: s == 200, deadline)
    return server


def start_voila(notebook: Path, home: Path, deadline: float = 90.0) -> Server:
    """Start Voila on ``notebook``.

    Every GET of Voila's root starts a kernel and executes the notebook, so
    readiness is probed on a static URL: any HTTP answer (even 404) means the
    server is up.
    """
    port = free_port()
    cmd = [
        venv_script("voila"), str(notebook), "--no-browser",
        f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
        "--show_tracebacks=True",
    ]
    log_path = home / f"voila-{notebook.stem}.log"
    proc = _spawn("Voila", cmd, notebook.parent, isolated_env(home), log_path)
    server = Server("Voila", f"http://127.0.0.1:{port}", proc, log_path)
    _wait_ready(server, server.url + "/voila/static/__ready_probe__",
                lambda s: s is not None, deadline)
    return server


def _rest(server: Server, method: str, path: str, body: dict | None = None,
          timeout: float = 60.0):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def start_session(server: Server, name: str, kernel: str = "python3") -> dict:
    """Start the notebook's kernel session via REST (Lab reuses it on opening).

    Lets the kernel boot while the browser loads JupyterLab.
    """
    return _rest(server, "POST", "/api/sessions", {
        "path": name, "name": name, "type": "notebook", "kernel": {"name": kernel}})


def shutdown_all_kernels(server: Server) -> list[str]:
    """Delete every session and kernel of a Jupyter server (REST); return kernel ids."""
    for session in _rest(server, "GET", "/api/sessions") or []:
        _rest(server, "DELETE", f"/api/sessions/{session['id']}")
    ids = []
    for kernel in _rest(server, "GET", "/api/kernels") or []:
        ids.append(kernel["id"])
        _rest(server, "DELETE", f"/api/kernels/{kernel['id']}")
    return ids


# --------------------------------------------------------------------------
# page helpers (work in JupyterLab and in Voila)
# --------------------------------------------------------------------------
def wait_for(predicate, what: str, timeout: float = 60.0, interval: float = 0.25):
    """Poll ``predicate()`` until it returns a truthy value; return that value."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


_ERRORS_JS = r"""
() => {
  const found = [];
  const errorLine = /^\s*\w*(Error|Exception|Interrupt)\b/m;
  for (const o of document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    const text = o.innerText;
    if (text.includes('Traceback') || errorLine.test(text)) found.push(text.slice(0, 2000));
  }
  // ipywidgets' error view, and Voila's message for a failed cell
  const patterns = ['Error displaying widget', 'There was an error when executing cell'];
  for (const el of document.querySelectorAll('.jp-OutputArea-output, .jupyter-widgets')) {
    const text = el.innerText || '';
    for (const p of patterns) {
      if (text.includes(p) && !found.some(f => f.includes(p))) {
        const i = text.indexOf(p);
        found.push(text.slice(i, i + 500));
      }
    }
  }
  return found;
}
"""


def error_outputs(page) -> list[str]:
    """Texts of error outputs on the page: tracebacks, widget errors.

    Looks at stderr outputs (``application/vnd.jupyter.stderr``) holding a
    traceback or an ``...Error``/``...Exception`` line (warnings do not
    count), ipywidgets' "Error displaying widget" and Voila's
    "There was an error when executing cell".
    """
    return page.evaluate(_ERRORS_JS)


# ---- JupyterLab ----------------------------------------------------------
_LAB_STATE_JS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [];
  for (const cell of panel.querySelectorAll('.jp-Notebook .jp-CodeCell')) {
    const editor = cell.querySelector('.jp-InputArea-editor');
    const empty = !editor || editor.textContent.trim() === '';
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    prompts.push({empty, prompt: prompt ? prompt.textContent.trim() : ''});
  }
  const dialog = document.querySelector('.jp-Dialog');
  // Status bar "Python 3 (ipykernel) | Idle": the indicator alone says
  // "idle" before any kernel is attached.
  const kernel = Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
    .map(e => e.textContent.trim()).find(t => / \| \w+$/.test(t)) || '';
  return {
    status: ind ? ind.getAttribute('data-status') : null,
    kernel,
    cells: panel.querySelectorAll('.jp-Notebook .jp-Cell').length,
    prompts,
    dialog: dialog ? dialog.innerText.slice(0, 500) : null,
  };
}
"""


def lab_state(page) -> dict | None:
    """Kernel status, code-cell prompts and any open dialog of the open notebook."""
    return page.evaluate(_LAB_STATE_JS)


def _no_dialog(state: dict | None) -> None:
    if state and state["dialog"]:
        raise AssertionError(f"JupyterLab shows a dialog: {state['dialog']!r}")


def kernel_idle(state: dict | None) -> bool:
    """True if a kernel is attached to the notebook and idle."""
    return (state is not None and state["status"] == "idle"
            and state["kernel"].endswith("| Idle")
            and not state["kernel"].startswith("No Kernel"))


def wait_kernel_idle(page, timeout: float = 90.0) -> None:
    """Wait until the notebook has a kernel and the kernel is idle."""
    def idle():
        state = lab_state(page)
        _no_dialog(state)
        return kernel_idle(state)
    wait_for(idle, "the kernel to be idle", timeout)


def open_in_lab(page, server: Server, name: str, n_cells: int,
                timeout: float = 90.0) -> None:
    """Open ``/lab/tree/NAME?reset`` (only this notebook) and wait for an idle kernel.

    ``n_cells`` (cells in the file) tells when the notebook is rendered: Lab
    shows a placeholder cell while it loads.  The kernel is started through
    the REST API first, so that it boots while the page loads.
    """
    start_session(server, name)
    page.goto(f"{server.url}/lab/tree/{urllib.parse.quote(name)}?reset")
    wait_for(lambda: (lab_state(page) or {}).get("cells") == n_cells,
             f"{name} to show its {n_cells} cells", timeout)
    wait_kernel_idle(page, timeout)


def _menu(page, menu: str, item: str, timeout: float = 30.0) -> None:
    """Click ``menu`` > ``item`` in Lab's menu bar, once the item is enabled."""
    item_re = re.compile(rf"^{re.escape(item)}$")
    end = time.monotonic() + timeout
    while True:
        page.locator(".lm-MenuBar-itemLabel").filter(
            has_text=re.compile(rf"^{re.escape(menu)}$")).first.click()
        entry = page.locator(".lm-Menu-item").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text=item_re)).first
        entry.wait_for(state="visible", timeout=10_000)
        if "lm-mod-disabled" not in (entry.get_attribute("class") or ""):
            entry.click()
            return
        page.keyboard.press("Escape")  # close the menu and try again
        if time.monotonic() > end:
            raise TimeoutError(f"menu {menu} > {item} stayed disabled for {timeout:.0f} s")
        time.sleep(0.5)


def run_all_cells(page, timeout: float = 180.0) -> dict:
    """Clear outputs, Run > Run All Cells, wait until the run is over.

    Outputs are cleared first so that the execution counts saved in the
    notebook file cannot be mistaken for this run's.  The run is over when
    the kernel is idle, no cell is queued (``[*]``) and either every
    non-empty code cell has an execution count or an error was shown (Lab
    stops a run at the first error).

    Returns
    -------
    state : dict
        Last :func:`lab_state`, plus ``"seconds"`` the run took.
    """
    _menu(page, "Edit", "Clear Outputs of All Cells")
    wait_for(lambda: all(p["prompt"] in ("[ ]:", "[ ]", "")
                         for p in lab_state(page)["prompts"]),
             "cleared execution counts", 30)
    start = time.monotonic()

    def started():
        state = lab_state(page)
        return state["status"] != "idle" or any(
            p["prompt"] not in ("[ ]:", "[ ]", "") for p in state["prompts"])

    for attempt in range(3):  # a click can land before Lab reacts to it
        _menu(page, "Run", "Run All Cells")
        try:
            wait_for(started, "Run All Cells to start", 10)
            break
        except TimeoutError:
            if attempt == 2:
                raise

    def finished():
        state = lab_state(page)
        _no_dialog(state)
        prompts = state["prompts"]
        queued = any("*" in p["prompt"] for p in prompts)
        if not kernel_idle(state) or queued:
            return None
        done = all(re.search(r"\d", p["prompt"]) for p in prompts if not p["empty"])
        return state if done or error_outputs(page) else None

    wait_for(finished, "Run All Cells to finish", timeout)
    # Idle must hold a moment: a comm message (widget render) can follow.
    time.sleep(0.5)
    wait_kernel_idle(page, timeout)
    state = lab_state(page)
    state["seconds"] = time.monotonic() - start
    return state


# ---- sliders, figures, readouts --------------------------------------------
_SLIDER_JS = r"""
() => {
  const sliders = Array.from(document.querySelectorAll('.widget-slider'))
    .filter(s => s.querySelector('.noUi-handle') && s.offsetParent !== null);
  const isEps = s => /eps|ε|epsilon/i.test(
    (s.querySelector('.widget-label') || {}).textContent || '');
  const slider = sliders.find(isEps) || sliders[0];
  if (!slider) return null;
  document.querySelectorAll('[data-advot-test]').forEach(
    e => e.removeAttribute('data-advot-test'));
  slider.setAttribute('data-advot-test', 'slider');
  // The figure and the readout that belong to this slider: the nearest
  // ancestor that contains one (the explorer's box).
  const near = (sel) => {
    for (let n = slider.parentElement; n; n = n.parentElement) {
      const hit = n.querySelector(sel);
      if (hit) return hit;
    }
    return null;
  };
  const fig = near('.jupyter-matplotlib, canvas, .jp-OutputArea-output img, .widget-image');
  if (fig) fig.setAttribute('data-advot-test', 'figure');
  const readout = near('.READOUT');
  if (readout) readout.setAttribute('data-advot-test', 'readout');
  return {label: (slider.querySelector('.widget-label') || {}).textContent || '',
          count: sliders.length, figure: !!fig, readout: !!readout};
}
""".replace("READOUT", READOUT_CLASS)

_SNAPSHOT_JS = r"""
() => {
  const hash = (s) => {  // FNV-1a, enough to tell two pictures apart
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16) + ':' + s.length;
  };
  const slider = document.querySelector('[data-advot-test="slider"]');
  const fig = document.querySelector('[data-advot-test="figure"]');
  const readout = document.querySelector('[data-advot-test="readout"]');
  let picture = null;
  if (fig) {
    const parts = [];
    const canvases = fig.tagName === 'CANVAS' ? [fig] : fig.querySelectorAll('canvas');
    for (const c of canvases) { try { parts.push(c.toDataURL()); } catch (e) { parts.push('tainted'); } }
    const imgs = fig.tagName === 'IMG' ? [fig] : fig.querySelectorAll('img');
    for (const i of imgs) parts.push(i.src);
    picture = hash(parts.join('|'));
  }
  const handle = slider ? slider.querySelector('.noUi-handle') : null;
  const ro = slider ? slider.querySelector('.widget-readout') : null;
  return {
    picture,
    value: handle ? handle.getAttribute('aria-valuenow') : null,
    slider_text: ro ? (ro.innerText || ro.textContent).trim() : null,
    readout: readout ? (readout.innerText || readout.textContent).trim() : null,
  };
}
"""


@dataclass
class SliderMove:
    """What moving an eps-slider did.

    Attributes
    ----------
    label : str
        The slider's description.
    before, after : dict
        Snapshots (``picture`` hash, ``value``, ``slider_text``, ``readout``)
        before the key presses and once the page was stable again.
    seconds_to_change : float
        From the first key press until the picture differed.
    """

    label: str
    before: dict
    after: dict
    seconds_to_change: float

    @property
    def picture_changed(self) -> bool:
        return self.before["picture"] != self.after["picture"]


def find_eps_slider(page) -> dict | None:
    """Mark the first visible eps-slider (label eps/ε, else the first slider).

    Returns None if there is no slider, else ``label``, ``count``,
    ``figure`` and ``readout`` (whether a figure/readout belongs to it).
    """
    return page.evaluate(_SLIDER_JS)


def snapshot(page) -> dict:
    """Picture hash, slider value and readout texts of the marked slider."""
    return page.evaluate(_SNAPSHOT_JS)


def move_eps_slider(page, presses: int = 3, timeout: float = 60.0,
                    settle: float = 1.0, busy=None) -> SliderMove:
    """Focus the eps-slider's handle, press ArrowRight, wait for the figure.

    Waits until the picture differs from before, then until picture and
    readout have stayed the same for ``settle`` seconds (and ``busy()`` is
    false, when given: e.g. a kernel that is still computing).
    """
    info = find_eps_slider(page)
    if info is None:
        raise AssertionError("no visible ipywidgets slider (.widget-slider .noUi-handle)")
    handle = page.locator('[data-advot-test="slider"] .noUi-handle').first
    handle.scroll_into_view_if_needed()
    before = snapshot(page)
    if before["picture"] is None:
        raise AssertionError(f"slider {info['label']!r} has no figure (canvas/img) next to it")
    handle.focus()
    start = time.monotonic()
    for _ in range(presses):
        handle.press("ArrowRight")
    wait_for(lambda: snapshot(page)["picture"] != before["picture"],
             "the figure to change after moving the slider", timeout)
    changed_after = time.monotonic() - start

    last = snapshot(page)
    stable_since = time.monotonic()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        time.sleep(0.2)
        now = snapshot(page)
        if now != last or (busy is not None and busy()):
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= settle:
            break
    else:
        raise TimeoutError("the figure kept changing for "
                           f"{timeout:.0f} s after the slider moved")
    return SliderMove(info["label"], before, last, changed_after)


def parse_readout(text: str | None) -> tuple[float | None, float | None]:
    """``(eps, risk)`` from a readout like ``"eps = 0.350 | R* = 0.4167"``.

    Either is None when absent.
    """
    if not text:
        return None, None
    eps = _EPS_RE.search(text)
    risk = _RISK_RE.search(text)
    return (float(eps.group(1)) if eps else None,
            float(risk.group(1)) if risk else None)


def parse_number(text: str | None) -> tuple[float, int] | None:
    """``(value, decimals)`` of a plain number such as ``"0.35"``; else None."""
    match = re.fullmatch(r"\s*([-+]?\d+)(?:\.(\d*))?\s*", text or "")
    if not match:
        return None
    decimals = len(match.group(2) or "")
    return float(match.group(0)), decimals


def slider_value(snap: dict) -> float | None:
    """The slider's value as displayed (its readout), else its ``aria-valuenow``.

    ``aria-valuenow`` is rounded by noUiSlider (0.25 reads "0.3") and is the
    exponent for a log slider or the index for a selection slider; it still
    grows when the slider moves right.
    """
    shown = parse_number(snap.get("slider_text"))
    if shown is not None:
        return shown[0]
    try:
        return float(snap.get("value"))
    except (TypeError, ValueError):
        return None


def slider_problems(move: SliderMove, has_readout: bool) -> list[str]:
    """What is wrong after pressing ArrowRight on an eps-slider (empty: all good).

    The figure must have changed, the slider must have moved right and, when
    an ``advot-risk-readout`` belongs to the slider, its text must have
    changed, show ``eps = ...`` equal to the slider's value (to the precision
    shown) and ``R* = ...`` in [0, 1].
    """
    problems = []
    if not move.picture_changed:
        problems.append("the figure did not change")
    before, after = slider_value(move.before), slider_value(move.after)
    if before is None or after is None or not after > before:
        problems.append(f"ArrowRight did not increase slider {move.label!r}: "
                        f"{move.before['slider_text']!r} -> {move.after['slider_text']!r}")
    if not has_readout:
        return problems
    text = move.after["readout"]
    eps_before, _ = parse_readout(move.before["readout"])
    eps, risk = parse_readout(text)
    if text == move.before["readout"]:
        problems.append(f"the readout did not follow the slider: {text!r}")
    if eps is None or risk is None:
        problems.append(f"readout {text!r} lacks 'eps = <number>' or 'R* = <number>'")
        return problems
    if eps_before is not None and not eps > eps_before:
        problems.append(f"readout eps did not grow: {move.before['readout']!r} -> {text!r}")
    shown = parse_number(move.after["slider_text"])
    if shown is not None and abs(eps - shown[0]) > 0.5 * 10.0 ** -shown[1] + 1e-9:
        problems.append(f"readout eps {eps} differs from the slider's {move.after['slider_text']!r}")
    if not 0.0 <= risk <= 1.0:
        problems.append(f"R* = {risk} is not in [0, 1]")
    return problems


# ---- Voila -------------------------------------------------------------------
def open_in_voila(page, server: Server, timeout: float = 180.0) -> float:
    """Load Voila's page (it executes the notebook) and wait for the widgets.

    Returns the seconds until a slider was visible.  Voila streams the page
    while the kernel executes cells, so ``goto`` waits for the whole stream.
    """
    start = time.monotonic()
    page.goto(server.url + "/", timeout=timeout * 1000, wait_until="load")

    def ready():
        if error_outputs(page):
            return True  # let the test report the error instead of timing out
        info = find_eps_slider(page)
        return info is not None and snapshot(page)["picture"] is not None
    wait_for(ready, "Voila to show a slider with its figure", timeout)
    return time.monotonic() - start


def save_screenshot(page, name: str) -> Path:
    """Full-page PNG in tests/browser/artifacts/; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
