"""The HTML report in headless Chromium: it renders, logs nothing, requests nothing, prints, and reads in gray.

Where no Chromium is installed the tests are skipped -- except under ``CI=true``, where they fail:
CI installs Debian's ``chromium`` (.ci/run), and a browser check that silently did not run must not
pass. The network check reads Chromium's net log: every request the *page* starts has the page as
its initiator, while the browser's own background services have none; the page must start none.
(Local file loads never reach the net log: test_report_privacy checks the markup refers to no
resource at all.)
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from auditor.report.html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
IN_CI = os.environ.get("CI", "").lower() == "true"
pytestmark = [pytest.mark.slow]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("CI=true but no chromium is installed: .ci/run should have installed Debian's chromium")
        pytest.skip("no chromium installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def page(tmp_path_factory, audits300, rubric, report_of):
    _, report = report_of(audits300, rubric)
    out = io.StringIO()
    write_html(report, out)
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def chromium(browser, tmp_path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=180)


def test_renders_without_console_messages_or_requests(browser, page, tmp_path):
    netlog = tmp_path / "net.json"
    done = chromium(browser, tmp_path, "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom",
                    page.as_uri())
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


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[j] for j in range(stride) if j % channels < 3))
        prev = line
    return width, height, rows


def test_screenshot_at_desktop_width(browser, page, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    dark = sum(1 for row in rows[::8] for i in range(0, len(row), 24) if row[i] < 100)
    assert dark > 300  # a page of text and charts, not a blank one


def test_grayscale_render_keeps_the_charts_readable(browser, page, tmp_path):
    """Printed in gray: the page renders, and the weak bars (striped) differ from the others (solid)."""
    gray = tmp_path / "gray.html"
    gray.write_text(page.read_text(encoding="utf-8").replace("</style>", "html{filter:grayscale(100%)}</style>"),
                    encoding="utf-8")
    shot = tmp_path / "gray.png"
    done = chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", gray.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    _, _, rows = png_pixels(shot.read_bytes())
    colourful = sum(1 for row in rows[::10] for i in range(0, len(row) - 2, 30)
                    if max(row[i:i + 3]) - min(row[i:i + 3]) > 12)
    assert colourful == 0  # it really is gray
    levels = {row[i] // 16 for row in rows[::10] for i in range(0, len(row), 30)}
    assert len(levels) >= 5  # ink, bars, stripes, grid and paper stay distinct levels of gray
    html = page.read_text(encoding="utf-8")
    assert re.search(r'fill="url\(#steps-weak\)"', html) or "weak" not in html  # weak steps striped, not by colour


def test_prints_to_pdf(browser, page, tmp_path):
    pdf = tmp_path / "report.pdf"
    done = chromium(browser, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 2 <= pages <= 14, pages
