"""Browser tests: the real stack (backend, action server, Rasa) started once, driven through
Debian's Chromium by Playwright (its own browser download does not work on these machines).

A failing test leaves a screenshot of every page it opened under var/screenshots/. With
DOCS_SCREENSHOTS=1 the tests also refresh the README's pictures in docs/screenshots/.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from deploy.stack import COURT_PYTHON, MODEL, ROOT, Stack, start_stack

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FAILURE_SHOTS = ROOT / "var" / "screenshots"
VENDOR = ROOT / "court" / "static" / "site" / "vendor" / "socket.io.min.js"
CLERK = ("clerk0105", "王书记员", "Lian-2026-court")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    if not VENDOR.exists():
        pytest.fail("the socket.io client is missing: run `make web`")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Chromium is missing: run `make chromium`")
    running = start_stack(var_dir=tmp_path_factory.mktemp("browser-stack"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def open_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts (one per person); all of them are photographed if the test fails."""
    contexts: list[tuple[str, BrowserContext, Page]] = []

    def make(name: str, **context_options) -> Page:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
        page = context.new_page()
        page.set_default_timeout(30_000)
        contexts.append((name, context, page))
        return page

    yield make
    failed = any(getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
                 for when in ("setup", "call"))
    for name, context, page in contexts:
        if failed:
            FAILURE_SHOTS.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.name}-{name}")
            try:
                page.screenshot(path=str(FAILURE_SHOTS / f"{safe}.png"), full_page=True)
            except Exception:  # the page may be gone; the other pictures still matter
                pass
        context.close()


@pytest.fixture(scope="session")
def clerk(stack: Stack) -> tuple[str, str]:
    """A clerk of 北京市朝阳区人民法院, made with the real command line against the stack's database."""
    username, name, password = CLERK
    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", username, "--name", name,
                    "--role", "clerk", "--court", "京0105", "--password-stdin"],
                   input=password + "\n", text=True, check=True, cwd=ROOT,
                   env={**os.environ, "COURT_DATABASE_URL": stack.database_url, "COURT_DEV_MODE": "1"}, capture_output=True)
    return username, password
