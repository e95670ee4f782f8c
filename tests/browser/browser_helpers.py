"""Drive JupyterLab and Voila in a real headless Chromium (Playwright).

Servers (JupyterLab, Voila) are started from the project venv on
127.0.0.1 with an empty token and isolated Jupyter config/runtime/data
dirs, and stopped by PID (whole process group).  Page helpers open a
notebook, run it as a student would (menu Run > Run All Cells), collect
error outputs, find every explorer on the page (a widget box with an
``advot-risk-readout``), move its first slider with the keyboard and wait
until the figure has changed, the readout agrees with the slider and
nothing changes any more.

Nothing here asserts; the test modules do (``slider_problems`` and
``check_explorers`` list what is wrong).  Every wait polls a condition with
a generous deadline; page-load waits raise ``TimeoutError`` naming what they
waited for, slider waits return what they saw for the verdict.
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

# Marker in a code cell's source for a notebook that builds an explorer.
EXPLORER_MARKER = "explorer("
READOUT_CLASS = "advot-risk-readout"



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


def explorer_cells(path: Path) -> int:
    """Number of code cells of notebook ``path`` that call an explorer."""
    nb = nbformat.read(path, as_version=4)
    return sum(c.cell_type == "code" and calls_explorer(c.source) for c in nb.cells)


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
    return [path.name for path in sorted(folder.glob("*.ipynb")) if explorer_cells(path)]


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


def start_voila(notebook: Path, home: Path, deadline: float = 90.0, extra_args=()) -> Server:
    """Start Voila on ``notebook`` (``extra_args``: more command-line options).

    Every GET of Voila's root starts a kernel and executes the notebook, so
    readiness is probed on a static URL: any HTTP answer (even 404) means the
    server is up.
    """
    port = free_port()
    cmd = [
        venv_script("voila"), str(notebook), "--no-browser",
        f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
        "--show_tracebacks=True", *extra_args,
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


def run_all_cells(page, timeout: float = 300.0) -> dict:
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


# ---- explorers: slider, figure, readout ----------------------------------------
# Every explorer of advot_teach.widgets is a widget box (VBox) holding a row of
# controls (its first slider is the eps- or t-slider), a readout (a widget
# with the class advot-risk-readout and data-* attributes) and the figure (a
# canvas in an .advot-figure view).  An explorer is found from its readout: the
# smallest ancestor of the readout that contains a slider is its box.
_EXPLORERS_JS = r"""
() => {
  const CLS = 'READOUT';
  for (const name of ['data-advot-box', 'data-advot-slider', 'data-advot-figure',
                      'data-advot-readout', 'data-advot-snap']) {
    document.querySelectorAll('[' + name + ']').forEach(e => e.removeAttribute(name));
  }
  const found = [];
  for (const readout of document.querySelectorAll('.' + CLS)) {
    if (!readout.getClientRects().length) continue;  // not displayed
    const i = String(found.length);
    readout.setAttribute('data-advot-readout', i);
    let box = readout.parentElement;
    while (box && !box.querySelector('.widget-slider .noUi-handle')) box = box.parentElement;
    const info = {index: found.length, box: !!box, readouts_in_box: 0, label: '',
                  figure: false, snap: false};
    found.push(info);
    if (!box) continue;
    box.setAttribute('data-advot-box', i);
    info.readouts_in_box = box.querySelectorAll('.' + CLS).length;
    const slider = box.querySelector('.widget-slider');  // the explorer's first slider
    slider.setAttribute('data-advot-slider', i);
    info.label = ((slider.querySelector('.widget-label') || {}).textContent || '').trim();
    const fig = box.querySelector('.jupyter-matplotlib, .widget-image, canvas, img');
    if (fig) { fig.setAttribute('data-advot-figure', i); info.figure = true; }
    for (const c of box.querySelectorAll('.widget-checkbox')) {
      if (/snap/i.test(c.textContent || '')) {
        c.setAttribute('data-advot-snap', i);
        info.snap = true;
      }
    }
  }
  return found;
}
""".replace("READOUT", READOUT_CLASS)

_SNAPSHOT_JS = r"""
(i) => {
  const hash = (s) => {  // FNV-1a, enough to tell two pictures apart
    let h = 0x811c9dc5;
    for (let k = 0; k < s.length; k++) { h ^= s.charCodeAt(k); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16) + ':' + s.length;
  };
  const get = (name) => document.querySelector('[data-advot-' + name + '="' + i + '"]');
  const slider = get('slider'), fig = get('figure'), readout = get('readout'), snap = get('snap');
  let picture = null;
  if (fig) {
    const parts = [];
    const canvases = fig.tagName === 'CANVAS' ? [fig] : fig.querySelectorAll('canvas');
    for (const c of canvases) { try { parts.push(c.toDataURL()); } catch (e) { parts.push('tainted'); } }
    const imgs = fig.tagName === 'IMG' ? [fig] : fig.querySelectorAll('img');
    for (const m of imgs) parts.push(m.src);
    picture = hash(parts.join('|'));
  }
  const handle = slider ? slider.querySelector('.noUi-handle') : null;
  const ro = slider ? slider.querySelector('.widget-readout') : null;
  const box = snap ? snap.querySelector('input[type="checkbox"]') : null;
  return {
    picture,
    value: handle ? handle.getAttribute('aria-valuenow') : null,
    slider_text: ro ? (ro.innerText || ro.textContent).trim() : null,
    readout: readout ? (readout.innerText || readout.textContent).trim() : null,
    // the readout's numbers (data-eps, data-risk, ...), not the page's own markers
    data: readout ? Object.fromEntries(Object.entries(readout.dataset)
                                       .filter(([k]) => !k.startsWith('advot'))) : null,
    snap: box ? box.checked : false,
  };
}
"""


def find_explorers(page) -> list[dict]:
    """Mark every displayed explorer (a widget box with an ``advot-risk-readout``).

    Returns
    -------
    explorers : list of dict
        In page order, one per visible readout: ``index`` (for
        :func:`snapshot` and :func:`move_slider`), ``box`` (a box with a
        slider holds the readout), ``readouts_in_box`` (1 unless explorers
        are nested), ``label`` (the first slider's description),
        ``figure`` (a canvas/image belongs to it) and ``snap`` (it has a
        "snap" checkbox).
    """
    return page.evaluate(_EXPLORERS_JS)


def wait_explorers(page, n: int, timeout: float = 90.0) -> list[dict]:
    """:func:`find_explorers` once ``n`` explorers are shown (widget views
    render after their cell ran), or what is shown after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        explorers = find_explorers(page)
        if len(explorers) >= n or time.monotonic() > end:
            return explorers
        time.sleep(0.5)


def explorer_problems(info: dict) -> list[str]:
    """What keeps ``info`` (from :func:`find_explorers`) from being tested."""
    where = f"explorer #{info['index']}"
    if not info["box"]:
        return [f"{where}: its readout has no slider in any enclosing widget box"]
    problems = []
    if info["readouts_in_box"] != 1:
        problems.append(f"{where}: the box of its slider holds {info['readouts_in_box']} readouts")
    if not info["figure"]:
        problems.append(f"{where} (slider {info['label']!r}): no figure (canvas/image) in its box")
    return problems


def snapshot(page, index: int) -> dict:
    """Picture hash, slider value/text, readout text and snap state of explorer ``index``."""
    return page.evaluate(_SNAPSHOT_JS, index)


@dataclass(frozen=True)
class Readout:
    """An explorer's readout, read from its ``data-*`` attributes.

    The explorer writes the numbers it shows as attributes of the readout
    element (``data-eps``, ``data-risk``, ``data-order``, ``data-exact``,
    ``data-accuracy``, ``data-feasible``, ``data-t``, full precision), so
    nothing here parses the text.

    Attributes
    ----------
    text : str
        The readout as shown (e.g. ``"eps = 0.350 | R* = 0.4167"``).
    control : {"eps", "t"} or None
        The slider-controlled quantity.
    value : float or None
        Its exact value.
    quantity : {"R*", "robust accuracy", "W_inf <= eps"} or None
        What the explorer computed at that value.
    result : float or bool or None
        A number for R* and robust accuracy, True/False for W_inf <= eps.
    order : int or None
        L for the truncated lower bound ``R*_L`` (None when exact).
    """

    text: str
    control: str | None
    value: float | None
    quantity: str | None = None
    result: float | bool | None = None
    order: int | None = None


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def read_readout(snap: dict | None) -> Readout | None:
    """The readout of a :func:`snapshot` (its text and data attributes); None if it has no data."""
    data = (snap or {}).get("data") or {}
    if not data:
        return None
    text = (snap.get("readout") or "").strip()
    control = "t" if "t" in data else ("eps" if "eps" in data else None)
    quantity = result = order = None
    if "risk" in data:
        quantity, result = "R*", _number(data["risk"])
        order = int(data["order"]) if data.get("exact") == "false" and "order" in data else None
    elif "accuracy" in data:
        quantity, result = "robust accuracy", _number(data["accuracy"])
    elif "feasible" in data:
        quantity, result = "W_inf <= eps", data["feasible"] == "true"
    return Readout(text, control, _number(data.get(control)), quantity, result, order)


def readout_problems(readout: Readout | None) -> list[str]:
    """What is wrong with one readout (empty list: it is well formed).

    It must carry ``data-eps`` or ``data-t`` and show some text; an
    eps-readout must also carry what was computed (R* or robust accuracy in
    [0, 1], or whether W_inf <= eps); t lies in [0, 1].
    """
    if readout is None:
        return ["the readout carries no data attributes"]
    text = readout.text
    problems = [] if text else ["the readout shows no text"]
    if readout.control is None or readout.value is None:
        problems.append(f"readout {text!r} has no numeric data-eps or data-t")
        return problems
    if readout.control == "t" and not 0.0 <= readout.value <= 1.0:
        problems.append(f"readout {text!r}: t = {readout.value} is not in [0, 1]")
    if readout.control == "eps":
        if readout.value < 0:
            problems.append(f"readout {text!r}: eps is negative")
        if readout.quantity is None:
            problems.append(f"readout {text!r} carries eps but no R*, robust accuracy or W_inf")
    if readout.quantity in ("R*", "robust accuracy") and not (
            readout.result is not None and 0.0 <= readout.result <= 1.0):
        problems.append(f"readout {text!r}: {readout.quantity} = {readout.result} is not in [0, 1]")
    return problems


def parse_number(text: str | None) -> tuple[float, int] | None:
    """``(value, decimals)`` of a plain number such as ``"0.35"`` (the
    slider's own display); else None."""
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


def readout_matches_slider(snap: dict) -> bool:
    """True if the readout's exact eps/t is the slider's value as the slider
    shows it (rounded to its digits)."""
    readout = read_readout(snap)
    shown = parse_number(snap.get("slider_text"))
    if readout is None or readout.value is None or shown is None:
        return False
    return abs(readout.value - shown[0]) <= 0.5 * 10.0 ** -shown[1] * (1 + 1e-9)


@dataclass
class SliderMove:
    """What moving an explorer's slider did.

    Attributes
    ----------
    index : int
        The explorer (see :func:`find_explorers`).
    label : str
        The slider's description.
    keys : list of str
        Keys pressed on the slider's handle.
    before, after : dict
        :func:`snapshot` before the key presses and at the end of the wait.
    seconds_to_change : float or None
        From the first key press until the picture differed (None: never).
    settled : bool
        The picture changed, the readout agreed with the slider and both
        stayed the same for the settle time before the deadline.
    """

    index: int
    label: str
    keys: list
    before: dict
    after: dict
    seconds_to_change: float | None
    settled: bool

    @property
    def picture_changed(self) -> bool:
        return self.before["picture"] != self.after["picture"]

    def describe(self) -> str:
        change = ("never changed" if self.seconds_to_change is None
                  else f"changed {self.seconds_to_change:.1f} s after the keys")
        return (f"explorer #{self.index} ({self.label!r}, {'+'.join(self.keys)}): figure {change}; "
                f"slider {self.before['slider_text']!r} -> {self.after['slider_text']!r}; "
                f"readout {self.before['readout']!r} -> {self.after['readout']!r}")


def wait_stable(page, index: int, settle: float | None = None, timeout: float = 120.0,
                busy=None, done=None) -> tuple[dict, bool]:
    """Poll :func:`snapshot` until it stayed the same for ``settle`` seconds.

    ``busy()`` true (e.g. the kernel is computing) and ``done(snap)`` false
    restart the count.  ``settle`` defaults to 1.5 s, or 2.5 s without
    ``busy`` (Voila shows no kernel status).  Returns the last snapshot and
    whether it settled before ``timeout`` (no exception: the caller reports
    what it saw).
    """
    if settle is None:
        settle = 1.5 if busy is not None else 2.5
    last = snapshot(page, index)
    stable_since = time.monotonic()
    end = stable_since + timeout
    while True:
        time.sleep(0.2)
        now = snapshot(page, index)
        t = time.monotonic()
        if now != last or (busy is not None and busy()) or (done is not None and not done(now)):
            last, stable_since = now, t
        elif t - stable_since >= settle:
            return last, True
        if t > end:
            return last, False


def move_slider(page, info: dict, presses: int = 3, timeout: float = 120.0,
                settle: float | None = None, busy=None) -> SliderMove:
    """Move explorer ``info``'s first slider to the right with the keyboard.

    Presses ArrowRight ``presses`` times on the focused handle (one step of
    the slider, or the next snap stop while "snap" is ticked).  Then waits until the figure differs from before, the
    readout's value agrees with the slider's and nothing changed for
    ``settle`` seconds (nor was ``busy()``; see :func:`wait_stable`), at most
    ``timeout`` seconds.
    """
    index = info["index"]
    handle = page.locator(f'[data-advot-slider="{index}"] .noUi-handle').first
    handle.scroll_into_view_if_needed()
    before = snapshot(page, index)
    keys = ["ArrowRight"] * presses  # while snapping, each press walks to the next stop
    start = time.monotonic()
    for key in keys:
        handle.press(key)
    changed_at = []

    def done(snap):
        if snap["picture"] != before["picture"] and not changed_at:
            changed_at.append(time.monotonic() - start)
        return (snap["picture"] != before["picture"] and snap["readout"] != before["readout"]
                and readout_matches_slider(snap))

    after, settled = wait_stable(page, index, settle, timeout, busy, done)
    return SliderMove(index, info["label"], keys, before, after,
                      changed_at[0] if changed_at else None, settled)


def slider_problems(move: SliderMove) -> list[str]:
    """What is wrong after moving an explorer's slider (empty: all good).

    The figure must have changed, the slider must have moved right, the
    readout must have changed, be well formed (:func:`readout_problems`)
    and show the slider's value (to the precision shown).
    """
    where = f"explorer #{move.index} ({move.label!r})"
    problems = []
    if not move.settled:
        problems.append(f"{where}: no stable, consistent state within the deadline")
    if not move.picture_changed:
        problems.append(f"{where}: the figure did not change")
    before, after = slider_value(move.before), slider_value(move.after)
    if before is None or after is None or not after > before:
        problems.append(f"{where}: {'+'.join(move.keys)} did not increase the slider: "
                        f"{move.before['slider_text']!r} -> {move.after['slider_text']!r}")
    text = move.after["readout"]
    if (text, move.after.get("data")) == (move.before["readout"], move.before.get("data")):
        problems.append(f"{where}: the readout did not follow the slider: {text!r}")
    readout = read_readout(move.after)
    problems += [f"{where}: {p}" for p in readout_problems(readout)]
    if readout is None or readout.value is None:
        return problems
    old = read_readout(move.before)
    if old is not None and old.value is not None and not readout.value > old.value:
        problems.append(f"{where}: readout {readout.control} did not grow: "
                        f"{move.before['readout']!r} -> {text!r}")
    if not readout_matches_slider(move.after):
        problems.append(f"{where}: readout {text!r} differs from the slider's "
                        f"{move.after['slider_text']!r}")
    return problems


_A11Y_JS = r"""
(i) => {
  const box = document.querySelector('[data-advot-box="' + i + '"]');
  const handle = box.querySelector('[data-advot-slider] .noUi-handle');
  const shown = box.querySelector('[data-advot-slider] .widget-readout');
  const readout = box.querySelector('[data-advot-readout]');
  return {label: handle.getAttribute('aria-label') || '', valuetext: handle.getAttribute('aria-valuetext'),
          shown: shown ? (shown.textContent || '').trim() : null,
          live: readout.getAttribute('aria-live'),
          figure_focusable: [...box.querySelectorAll('[data-advot-figure], [data-advot-figure] *')]
            .some(e => e.tabIndex >= 0 || e.hasAttribute('tabindex'))};
}
"""

_FOCUS_JS = r"""
(i) => {
  const a = document.activeElement;
  if (!a || a === document.body) return {where: 'body'};
  const box = a.closest('[data-advot-box]');
  return {where: box && box.getAttribute('data-advot-box') === String(i) ? 'box' : 'outside',
          in_figure: !!a.closest('[data-advot-figure], .advot-figure, .jupyter-matplotlib'),
          what: a.tagName + (a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : '')};
}
"""


def keyboard_problems(page, info: dict, max_tabs: int = 12) -> list[str]:
    """Screen-reader and keyboard faults of explorer ``info``.

    The first slider's handle must have an accessible name (aria-label) and
    speak the value the slider shows (aria-valuetext); the readout must be a
    polite live region; nothing in the figure may be focusable; and Tab from
    the handle must leave the explorer within ``max_tabs`` presses without
    ever landing in the figure (no keyboard trap).
    """
    index = info["index"]
    where = f"explorer #{index} ({info['label']!r})"
    a11y = page.evaluate(_A11Y_JS, index)
    problems = []
    if not a11y["label"].strip():
        problems.append(f"{where}: the slider has no accessible name (aria-label)")
    if a11y["shown"] and a11y["valuetext"] != a11y["shown"]:
        problems.append(f"{where}: the slider speaks {a11y['valuetext']!r} but shows {a11y['shown']!r}")
    if a11y["live"] != "polite":
        problems.append(f"{where}: the readout is not announced (aria-live={a11y['live']!r})")
    if a11y["figure_focusable"]:
        problems.append(f"{where}: the figure can take focus")
    page.locator(f'[data-advot-slider="{index}"] .noUi-handle').first.focus()
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS_JS, index)
        seen.append(focus.get("what", focus["where"]))
        if focus.get("in_figure"):
            problems.append(f"{where}: Tab moved focus into the figure ({' -> '.join(seen)})")
            break
        if focus["where"] != "box":
            break
    else:
        problems.append(f"{where}: focus stayed in the explorer after {max_tabs} Tabs ({' -> '.join(seen)})")
    return problems


def check_explorers(page, busy=None, presses: int = 1) -> tuple[list[SliderMove], list[str]]:
    """Find every explorer on the page, move each one's slider (one ArrowRight
    press by default: it must change the picture), judge it and its keyboard
    and screen-reader behaviour (:func:`keyboard_problems`).

    Returns the moves and every problem found (empty: all good).
    """
    explorers = find_explorers(page)
    problems = [p for info in explorers for p in explorer_problems(info)]
    if not explorers:
        problems.append(f"no explorer on the page (no visible .{READOUT_CLASS})")
    moves = []
    for info in explorers:
        if explorer_problems(info):
            continue
        # the first picture arrives after the widget is shown: wait for it
        initial, settled = wait_stable(page, info["index"], busy=busy,
                                       done=lambda s: s["picture"] is not None)
        if not settled:
            problems.append(f"explorer #{info['index']}: never showed a stable picture: {initial}")
            continue
        problems += [f"explorer #{info['index']} before moving: {p}"
                     for p in readout_problems(read_readout(initial))]
        move = move_slider(page, info, presses=presses, busy=busy)
        moves.append(move)
        problems += slider_problems(move)
        problems += keyboard_problems(page, info)
    return moves, problems


# ---- exact R* against the solver -------------------------------------------
#: The small notebook the fixtures add to the served copy: one epsilon
#: explorer on data the test process can rebuild.
CHECK_NOTEBOOK = "browser_check.ipynb"
CHECK_DATA = {"n_per_class": 30, "seed": 0}
CHECK_EPS_MAX = 1.0


def write_check_notebook(folder: Path) -> Path:
    """Write :data:`CHECK_NOTEBOOK` (an epsilon explorer on three_blobs) into ``folder``."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    args = ", ".join(f"{k}={v!r}" for k, v in CHECK_DATA.items())
    nb = new_notebook(cells=[
        new_markdown_cell("# Browser check\nR* printed by the epsilon explorer, compared by the "
                          "test with `optimal_adversarial_risk` on the same data."),
        new_code_cell("from advot_teach import datasets\n"
                      "from advot_teach.widgets import epsilon_explorer\n\n"
                      f"X, y = datasets.three_blobs({args})\n"
                      f"epsilon_explorer(X, y, eps_max={CHECK_EPS_MAX!r})"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})
    path = folder / CHECK_NOTEBOOK
    nbformat.write(nb, path)
    return path


def check_data():
    """The data of :data:`CHECK_NOTEBOOK`, built in the test process."""
    from advot_teach import datasets

    return datasets.three_blobs(**CHECK_DATA)


def risk_problems(X, y, readout: Readout, tol: float = 1e-9) -> list[str]:
    """The readout's R* against ``optimal_adversarial_risk`` at the readout's
    exact eps (its ``data-eps``); empty if they agree."""
    from advot_teach import optimal_adversarial_risk

    if readout is None or readout.quantity != "R*" or readout.order is not None:
        return [f"readout {getattr(readout, 'text', None)!r} does not carry the exact R*"]
    expected = optimal_adversarial_risk(X, y, readout.value).risk
    if abs(readout.result - expected) > tol:
        return [f"readout {readout.text!r} carries R* = {readout.result!r} but optimal_adversarial_risk "
                f"gives {expected!r} at eps = {readout.value!r}"]
    return []


def check_exact_risk(page, X, y, busy=None, presses: int = 3):
    """Move the page's only epsilon explorer and compare its R* with the solver.

    Returns
    -------
    moves : list of SliderMove
    checked : list of Readout
        The readouts compared (before and after the move).
    problems : list of str
        Empty if both readouts carry the solver's R* at their exact eps and
        R* changed with the move (else the check would have no power).
    """
    explorers = find_explorers(page)
    if len(explorers) != 1:
        return [], [], [f"expected one explorer on the check page, found {len(explorers)}"]
    info = explorers[0]
    problems = explorer_problems(info)
    if problems:
        return [], [], problems
    initial, settled = wait_stable(page, 0, busy=busy, done=lambda s: s["picture"] is not None)
    if not settled:
        return [], [], [f"the explorer never showed a stable picture: {initial}"]
    move = move_slider(page, info, presses=presses, busy=busy)
    problems = slider_problems(move)
    if problems:
        return [move], [], problems
    checked = [read_readout(initial), read_readout(move.after)]
    for readout in checked:
        problems += readout_problems(readout) or risk_problems(X, y, readout)
    if not problems and checked[0].result == checked[1].result:
        problems.append(f"R* did not change ({checked[0].text!r} -> {checked[1].text!r}): "
                        "choose other check data")
    return [move], checked, problems


# ---- Voila -------------------------------------------------------------------
def open_in_voila(page, server: Server, n_explorers: int = 1, timeout: float = 240.0) -> float:
    """Load Voila's page (it executes the notebook) and wait for the explorers.

    Waits until ``n_explorers`` explorers show a figure (or an error is on
    the page, for the test to report).  Returns the seconds this took.
    Voila streams the page while the kernel executes cells, so ``goto``
    waits for the whole stream.
    """
    start = time.monotonic()
    page.goto(server.url + "/", timeout=timeout * 1000, wait_until="load")

    def ready():
        if error_outputs(page):
            return True  # let the test report the error instead of timing out
        shown = [info for info in find_explorers(page)
                 if info["figure"] and snapshot(page, info["index"])["picture"] is not None]
        return len(shown) >= n_explorers
    wait_for(ready, f"Voila to show {n_explorers} explorer(s) with a figure",
             max(1.0, timeout - (time.monotonic() - start)))
    return time.monotonic() - start


def save_screenshot(page, name: str) -> Path:
    """Full-page PNG in tests/browser/artifacts/; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
