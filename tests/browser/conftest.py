"""Fixtures for the real-browser tests: one JupyterLab, Voila on demand, one Chromium.

* ``served_notebooks``: a temporary copy of ``notebooks/`` (or of
  ``$ADVOT_BROWSER_NOTEBOOKS``), so running cells never modifies committed
  files, plus ``browser_check.ipynb`` (an epsilon explorer on data the tests
  rebuild, to compare its R* with the solver).
* ``lab_server``: JupyterLab on that copy (127.0.0.1, free port, no token).
* ``voila_server``: factory starting Voila on one notebook of the copy.
* ``browser`` / ``page``: headless Debian Chromium through Playwright; each
  test gets a fresh context, a screenshot in ``tests/browser/artifacts/`` and
  its kernels shut down afterwards.

Chromium missing fails the tests (it is a required tool) unless
``ADVOT_SKIP_BROWSER=1``, which skips every browser test.
"""
from __future__ import annotations

import os

import pytest

import browser_helpers as bh


def pytest_collection_modifyitems(config, items):
    if os.environ.get(bh.SKIP_ENV) == "1":
        skip = pytest.mark.skip(reason=f"{bh.SKIP_ENV}=1")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Let fixtures see whether the test failed (to name its screenshot).
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = bh.chromium_executable()
    if path is None:
        pytest.fail(
            "chromium not found on PATH: the browser tests need Debian's chromium "
            "(apt-get install chromium; .ci/run does it). "
            f"Set {bh.SKIP_ENV}=1 to skip them.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory, chromium_path):
    src = bh.notebooks_dir()
    if not src.is_dir():
        pytest.fail(f"notebooks folder {src} does not exist", pytrace=False)
    served = bh.copy_notebooks(src, tmp_path_factory.mktemp("served") / "notebooks")
    bh.write_check_notebook(served)
    return served


@pytest.fixture(scope="session")
def lab_server(served_notebooks, tmp_path_factory):
    server = bh.start_jupyterlab(served_notebooks, tmp_path_factory.mktemp("lab-home"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(served_notebooks, tmp_path_factory):
    """``voila_server(name, *options)`` starts Voila on ``served_notebooks / name``."""
    started = []

    def start(name: str, *options: str) -> bh.Server:
        server = bh.start_voila(served_notebooks / name,
                                tmp_path_factory.mktemp("voila-home"), extra_args=options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True,
                                     args=bh.CHROMIUM_ARGS)
        yield browser
        browser.close()


def _screenshot_once(page, request) -> None:
    """Save the page as ``[FAILED-]TESTNAME.png`` in artifacts/, once per test."""
    if getattr(page, "advot_screenshot_taken", False) or page.is_closed():
        return
    page.advot_screenshot_taken = True
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    try:
        bh.save_screenshot(page, ("FAILED-" if failed else "") + request.node.name)
    except Exception as exc:  # a screenshot must never hide the real result
        print(f"screenshot failed: {exc}")


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page; screenshot at the end of the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    _screenshot_once(page, request)
    context.close()


@pytest.fixture
def lab_page(page, lab_server, request):
    """``page`` on the JupyterLab server; all kernels are shut down afterwards."""
    yield page
    _screenshot_once(page, request)
    # Leave Lab first, so its frontend does not restart what we shut down.
    page.goto("about:blank")
    bh.shutdown_all_kernels(lab_server)
