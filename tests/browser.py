"""Pages opened in a real browser: headless Chromium from the system's packages, driven by Playwright.

Playwright (the ``playwright`` package of the ``test`` extra) drives the Debian ``chromium`` binary
through ``executable_path``; nothing downloads a browser (``playwright install`` is never run).
Why Playwright rather than raw DevTools Protocol: it gives page errors, console messages, dialogs and
every network request as events, waits for the page to load, and takes screenshots, in a few lines
that read like what they check.

Every request the page makes is recorded and refused unless it is the page itself, so a test sees
whether a page would reach the network. ``python tests/browser.py OUT_DIR`` writes the screenshots
that docs/img holds.

Tests that need the browser are skipped when it is missing, except under CI (``CI`` set), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CREDITRULES_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@dataclass
class Opened:
    """What happened when a page was opened."""

    text: str
    errors: list[str] = field(default_factory=list)  # uncaught page errors
    console: list[str] = field(default_factory=list)  # console messages of any kind
    dialogs: list[str] = field(default_factory=list)  # alert(), confirm(), prompt()
    requests: list[str] = field(default_factory=list)  # every URL asked for, the page's own first
    screenshot: bytes = b""
    scripts: int = 0  # <script> elements in the DOM
    page: Any = None  # the Playwright page, while the browser is open


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pages-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True, viewport={"width": 1000, "height": 800},
            device_scale_factor=1)
        try:
            yield context
        finally:
            context.close()


def open_file(context: Any, path: Path, full_page: bool = True, print_media: bool = False) -> Opened:
    """Open ``path`` (file://) in a new tab of ``context``, and record what it did."""
    page = context.new_page()
    url = path.resolve().as_uri()
    opened = Opened(text="")
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on("console", lambda msg: opened.console.append(f"{msg.type}: {msg.text}"))

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)

    def route(r: Any) -> None:
        opened.requests.append(r.request.url)
        if r.request.url == url:
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    if print_media:
        page.emulate_media(media="print")
    page.goto(url, wait_until="load")
    opened.text = page.evaluate("document.body ? document.body.innerText : document.documentElement.textContent")
    opened.scripts = page.evaluate("document.querySelectorAll('script').length")
    opened.screenshot = page.screenshot(full_page=full_page)
    opened.page = page
    return opened


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def main(argv: list[str]) -> int:
    """Write the screenshots shown in the README and docs/pages.md into ``argv[0]``."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "src"))
    from creditrules.cli import main as cli

    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pages-shots-"))
    std = ["--standard", "yrd-computer-application"]
    os.chdir(root)
    pages = {
        "letter-en": ["evaluate", *std, "--learner", "examples/student-1x.yaml", "--as-of", "2025-06-30",
                      "--format", "html"],
        "letter-zh": ["evaluate", *std, "--learner", "examples/student-1x.yaml", "--as-of", "2025-06-30",
                      "--format", "html", "--lang", "zh"],
        "report-en": ["report", *std, "--as-of", "2025-06-30"],
        "impact-en": ["diff", "2024.1", "2026.1", *std, "--format", "html"],
    }
    with browser() as context:
        for name, args in pages.items():
            page = work / f"{name}.html"
            code = cli([*args, "--output", str(page)])
            if code != 0:
                return code
            opened = open_file(context, page, full_page=False)
            if name.startswith("report"):  # the rule graph, whole
                opened.page.set_viewport_size({"width": 2000, "height": 900})
                opened.page.add_style_tag(content="main { max-width: none }")
                (out / "report-graph.png").write_bytes(opened.page.locator("figure.graph svg").screenshot())
                opened.page.set_viewport_size({"width": 900, "height": 640})
            else:
                opened.page.set_viewport_size({"width": 900, "height": 640})
                (out / f"{name}.png").write_bytes(opened.page.screenshot(full_page=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
