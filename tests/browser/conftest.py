"""Real-browser tests: Debian's Chromium, driven by Playwright, against ``learnmap serve``.

The site: one ``learnmap serve`` subprocess for the whole session (granian, whitenoise and the
file cache: production's stack), on a free port of 127.0.0.1, with a data directory of its own
(SQLite there, whatever ``DATABASE_URL`` says: neither the suite's database nor a developer's
is touched). It loads the built-in roadmap and a small Persian one (``content/``). Its static
files are collected into pytest's cache directory and kept between runs: collecting hashes and
compresses every file, half a minute on two cores; ``serve`` collects again when a source changed.

The browser: Debian's Chromium (``/usr/bin/chromium``, or ``LEARNMAP_CHROMIUM``), driven by
the ``playwright`` package (a dev dependency), never a browser Playwright downloads. Without
Chromium the tests are skipped on a developer machine, saying how to install it, and fail in CI
(``CI=true``): CI never skips them silently.

Tests stay independent through the browser: each gets a fresh context (no cookies: a new
visitor) and learners sign up with addresses of their own. A test fails if the server logged an
error or the page threw a script error while it ran. On a failure, a screenshot of every page
the test had open goes to ``test-artifacts/browser/failures/``. A test fails too if the
browser refused anything under the site's Content-Security-Policy (a ``securitypolicyviolation``
event, or Chromium's "Refused to ..." console message) on any page it opened.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import LEARNMAP, ROOT

CHROMIUM = Path(os.environ.get("LEARNMAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # loopback only: no update or safe-browsing calls
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CONTENT = Path(__file__).resolve().parent / "content"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# What the site logs when a request failed: a test that caused one fails.
SERVER_ERRORS = ("Traceback (most recent call last)", "Internal Server Error")
STAMP = "static-sources.sha256"  # where `serve` notes what the collected static files are from
# Run in every page before its own scripts (through the DevTools protocol, so the site's policy
# does not apply to it): each violation of the policy is told on the console with this prefix.
CSP_VIOLATION = "CSP violation:"
REPORT_CSP_VIOLATIONS = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.error("{CSP_VIOLATION} " + event.effectiveDirective + " refused "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
}});
"""


def _missing_browser() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: apt-get install chromium (Debian's, never a download)"
    return ""


# --- the site ----------------------------------------------------------------------------------


@dataclass
class Site:
    """``learnmap serve`` in a subprocess: its address and what it printed."""

    url: str
    log: Path
    process: subprocess.Popen
    env: dict[str, str] = field(default_factory=dict)  # serve's environment (its data dir)

    def command(self, *args: str, **env: str) -> str:
        """``learnmap ARGS`` on the site's data (what its operator would type); its stdout."""
        done = subprocess.run(
            [str(LEARNMAP), *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            pytest.fail(f"learnmap {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as stream:
            stream.seek(offset)
            return stream.read().decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(env: dict[str, str], cwd: Path, log: Path) -> Site | None:
    """Start ``learnmap serve`` and wait until it answers; None if its port was taken meanwhile."""
    port = _free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(LEARNMAP), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    site = Site(url=f"http://127.0.0.1:{port}", log=log, process=process, env=env)
    deadline = time.monotonic() + 180  # a first run collects the static files
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if "Address already in use" in log.read_text():
                return None
            pytest.fail(f"learnmap serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{site.url}/", timeout=5).status_code == 200:
                return site
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    _stop(process)
    pytest.fail(f"learnmap serve did not answer on {site.url} in 180 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _static_root(config: pytest.Config, home: Path) -> Path:
    """Where the site's static files are collected: kept in pytest's cache between runs (one
    directory per xdist worker), or collected afresh when the cache is off."""
    cache = getattr(config, "cache", None)
    if cache is None:
        return home / "static"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return cache.mkdir(f"learnmap-browser-static{'-' + worker if worker else ''}")


@pytest.fixture(scope="session")
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The site every browser test visits, started once."""
    if not LEARNMAP.exists():
        pytest.fail(f"{LEARNMAP} is missing: install the project first (pip install -e .).")
    home = tmp_path_factory.mktemp("browser-site")
    content = home / "content"
    content.mkdir()
    for source in [*sorted((ROOT / "content").glob("*.md")), *sorted(CONTENT.glob("*.md"))]:
        shutil.copy(source, content / source.name)
    data = home / "data"
    data.mkdir()
    static = _static_root(request.config, home)
    if (static / STAMP).is_file():
        shutil.copy(static / STAMP, data / STAMP)

    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "LEARNMAP_ENV"}
    }
    env.update(
        LEARNMAP_DATA_DIR=str(data),
        LEARNMAP_CONTENT_DIR=str(content),
        STATIC_ROOT=str(static),
        DEBUG="false",
        # The link checks a proposal asks for reach the loopback addresses the tests use.
        LEARNMAP_LINKCHECK_ALLOW_PRIVATE="true",
    )
    log = home / "serve.log"
    started = None
    for _attempt in range(3):  # another process may take the free port before serve binds it
        started = _start(env, home, log)
        if started is not None:
            break
    if started is None:
        pytest.fail(f"learnmap serve found no free port:\n{log.read_text()}")
    if (data / STAMP).is_file():
        shutil.copy(data / STAMP, static / STAMP)
    try:
        yield started
    finally:
        _stop(started.process)


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    reason = _missing_browser()
    if reason:
        if IN_CI:
            pytest.fail(f"Browser tests cannot run in CI: {reason}.", pytrace=False)
        pytest.skip(f"Browser tests need Debian's Chromium: {reason}.")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Visits:
    """The browser contexts (visitors, devices) one test opened, and what went wrong in them."""

    site: Site
    browser: object
    contexts: list = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def new_page(self, *, viewport: dict | None = None, phone: bool = False, **options):
        """A page in a new context: a new visitor, with no cookies."""
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = self.browser.new_context(
            base_url=self.site.url,
            viewport=viewport or (PHONE if phone else DESKTOP),
            locale="en-US",
            **options,
        )
        context.set_default_timeout(15_000)
        context.add_init_script(script=REPORT_CSP_VIOLATIONS)
        context.on("console", self._console)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        return page

    def _console(self, message) -> None:
        text = message.text
        if text.startswith(CSP_VIOLATION) or "Content Security Policy" in text:
            self.csp_violations.append(f"{message.page.url if message.page else '?'}: {text}")

    def pages(self) -> list:
        return [page for context in self.contexts for page in context.pages]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def visits(request: pytest.FixtureRequest, browser, site: Site) -> Iterator[Visits]:
    """Opens pages for a test; afterwards checks the server's log and the pages' scripts."""
    found = Visits(site=site, browser=browser)
    offset = site.log_size()
    yield found
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        where = ARTIFACTS / "failures"
        where.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(found.pages()):
            name = f"{request.node.name}-{number}.png".replace("/", "_")
            page.screenshot(path=where / name, full_page=True)
    for context in found.contexts:
        context.close()
    logged = site.log_since(offset)
    if any(error in logged for error in SERVER_ERRORS):
        pytest.fail(f"The server logged an error during the test:\n{logged}", pytrace=False)
    if found.script_errors:
        pytest.fail("Script errors: " + "; ".join(found.script_errors), pytrace=False)
    if found.csp_violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(found.csp_violations),
            pytrace=False,
        )


@pytest.fixture
def page(visits: Visits):
    """A desktop-sized page for a new, anonymous visitor."""
    return visits.new_page()


@pytest.fixture
def artifacts() -> Callable[[str], Path]:
    """Where a test saves a file for people to look at (``test-artifacts/browser/NAME``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return lambda name: ARTIFACTS / name
