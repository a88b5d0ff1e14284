"""A training room driven by a real browser (Debian's chromium, through chromedriver): a trainee goes from
the code prompt to a choice to the debrief, and a second browser session, the trainer's view, changes as
that choice is saved. Screenshots at 1280x800 are kept in the test's folder (or ``RTW_SCREENSHOTS``).

The page draws the app on a canvas, so what each browser shows is checked through the room's records (what
the trainer's view reads) and through the pixels changing; the Pilot tests check the view's contents.
Without chromium the test is skipped on a developer's machine and fails under CI, which installs it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from benchmarks.room_clients import free_port, running_room, saved_steps
from simulator.room.state import RoomStore

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _need_browser():
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing = "selenium"
    else:
        missing = "" if CHROMIUM and DRIVER else "chromium and chromedriver"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing in CI: .ci/run installs them")
        pytest.skip(f"{missing} not installed")


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,800"):
        options.add_argument(flag)
    assert CHROMIUM is not None  # skipped otherwise
    options.binary_location = CHROMIUM
    return webdriver.Chrome(options=options, service=Service(DRIVER))


def _type(driver, text: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "textarea").send_keys(text)


def _wait(condition, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _open(driver, url: str) -> None:
    """Load the room's page and wait until the app has drawn its first screen (the page marks the body
    ``-first-byte`` then), plus a moment for the code dialog to take the keyboard."""
    driver.get(url)
    _wait(lambda: driver.execute_script("return document.body.classList.contains('-first-byte')"),
          what="the app's first screen")
    time.sleep(2.0)


def _present(db: Path) -> set[str]:
    with RoomStore.open(db) as store:
        return {p.pseudonym for p in store.present()}


def test_a_trainee_in_a_browser_and_the_trainers_view(tmp_path):
    _need_browser()
    shots = Path(os.environ.get("RTW_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "room.db"
    with RoomStore.open(db) as store:
        settings = store.open_room(hours=2)
        store.set_scenario("first-call")
        store.set_show_small_counts(True)  # one trainee: the trainer asks to see the counts
    port = free_port()
    with running_room(db, port):
        url = f"http://127.0.0.1:{port}/"
        trainee, trainer = _browser(), _browser()
        try:
            _open(trainee, url)
            trainee.save_screenshot(str(shots / "room-1-code-prompt.png"))
            _type(trainee, settings.code + "\n")
            time.sleep(1.5)
            _type(trainee, "falcon\n")
            _wait(lambda: "falcon" in _present(db), what="the trainee to join")

            _open(trainer, url)
            _type(trainer, settings.trainer_code + "\n")
            time.sleep(4)
            before = trainer.get_screenshot_as_png()

            time.sleep(1.0)
            _type(trainee, "1")
            _wait(lambda: saved_steps(db, "falcon")[0] == 1, what="the first choice to be saved")
            time.sleep(2.5)  # the trainer's view refreshes every second
            trainer.save_screenshot(str(shots / "room-3-trainer-view.png"))
            assert trainer.get_screenshot_as_png() != before, "the trainer's view did not change"
            trainee.save_screenshot(str(shots / "room-2-trainee-choice.png"))

            while not saved_steps(db, "falcon")[1]:
                steps = saved_steps(db, "falcon")[0]
                time.sleep(0.5)
                # A key typed while the app is still drawing the last reply can be dropped on a loaded
                # machine: press again until the choice is saved (a second "1" only chooses the next step).
                for _attempt in range(6):
                    _type(trainee, "1")
                    try:
                        _wait(lambda s=steps: saved_steps(db, "falcon")[0] > s or saved_steps(db, "falcon")[1],
                              timeout=10.0, what="a choice to be saved")
                        break
                    except AssertionError:
                        continue
                else:
                    raise AssertionError("no choice was saved after six presses of 1")
            time.sleep(1.5)
            _type(trainee, "d")
            time.sleep(2.5)
            trainee.save_screenshot(str(shots / "room-4-debrief.png"))
            for name in ("room-1-code-prompt", "room-2-trainee-choice", "room-3-trainer-view", "room-4-debrief"):
                assert (shots / f"{name}.png").stat().st_size > 10_000, name
            logs = trainee.get_log("browser") if hasattr(trainee, "get_log") else []
            assert not [entry for entry in logs if entry.get("level") == "SEVERE"], logs
        finally:
            trainee.quit()
            trainer.quit()
    saved, finished, attempts = saved_steps(db, "falcon")
    assert finished and attempts == 1 and saved >= 5
