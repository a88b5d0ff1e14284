"""The HTML report in headless Chromium: it renders, logs no console error, and requests nothing.

Skipped where no Chromium is installed (``apt-get install chromium``). The network check reads
Chromium's net log: every request the *page* starts has the page as its initiator, while the
browser's own background services (update checks) have none; the page must start none at all.
(Local file loads never reach the net log: test_report_privacy checks the markup has no reference
to any resource at all.)
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest

from auditor.report.html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed")]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(tmp_path_factory, audits300, rubric, report_of):
    _, report = report_of(audits300, rubric)
    out = io.StringIO()
    write_html(report, out)
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def test_renders_without_console_errors_or_requests(page, tmp_path):
    netlog = tmp_path / "net.json"
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Return-to-work process fidelity report" in done.stdout
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    assert "Content Security Policy" not in done.stderr  # nothing tried to load and got blocked
    log = json.loads(netlog.read_text(encoding="utf-8"))
    from_page = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        url, initiator = params.get("url"), params.get("initiator")
        if url and initiator not in (None, "not an origin"):  # a file:// page's requests have "null"
            from_page.append((url, initiator))
    assert not from_page, from_page[:5]


def test_screenshot(page, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 50_000  # a real page, not a blank one
