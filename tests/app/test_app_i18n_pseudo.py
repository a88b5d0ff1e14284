"""No string of the app escapes the catalogue: under the pseudo-locale every interface text is shown as
``⟦àççéñtéd⟧``, so once every ``⟦…⟧`` and every known data token is removed from a screen, no word is left.

The walk covers the home screen, the first-run dialog, a question dialog, the conversation in coach mode, its
end, the debrief (top, step review, step picker), the history, notifications, the footers and the command
palette's commands. Scenario text is data here: the fixture scenario is shown through a pseudo "translation"
of its own (every text wrapped like the catalogue's), so the check needs no list of its sentences.

The listening rubric's labels come from their own catalogue (``listening``, with ``pgettext``): the
pseudo-locale wraps them too, so a label shown without going through it is caught like any other string.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import simulator.app
from auditor import i18n
from auditor.i18n import pseudo_text
from simulator.app import TrainApp
from simulator.translation import source_strings, translated_copy

from .conftest import SCENARIOS

SIZE = (200, 60)  # wide and tall: a wrapped or cut ⟦…⟧ would hide words from the check
FINISH = ["enter", "1", "2", "1"]

# Data: the command and the trainee's pseudonym, key names in the footer, what Textual draws by itself.
DATA_TOKENS = ["rtw-train", "Sam", "esc", "pgup", "pgdn", "ctrl+q", "ctrl+p", "^p", "--db"]
# Dates under the pseudo-locale are English dates ("03 Dec 14:05"): a locale format, not a message.
DATA_TOKENS += ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

CELL_WIDTH, ROW_HEIGHT, FIRST_ROW_Y = 12.2, 24.4, 20  # Textual's SVG export: one cell, one row, the first row
WORD = re.compile(r"[A-Za-z]{3,}")


def escaped_words(text: str) -> list[str]:
    """The words of ``text`` (3+ letters) left once every ⟦…⟧ and data token is out."""
    while True:  # innermost first: a translated sentence may hold a translated phrase
        text, found = re.subn(r"⟦[^⟦⟧]*⟧", " ", text)
        if not found:
            break
    text = re.sub(r"⟦[^⟦⟧]*…", " ", text)  # a text cut to its column's width ("⟦Höñéstlý? Î…"): shown, not escaped
    for token in DATA_TOKENS:
        text = text.replace(token, " ")
    return WORD.findall(text)


def test_the_check_catches_a_plain_string() -> None:
    """The check itself can fail: English outside the brackets is found, bracketed and data text is not."""
    assert escaped_words("⟦Hello world⟧ rtw-train Sam 45 / 100") == []
    assert escaped_words("⟦Hello⟧ Start again") == ["Start", "again"]
    assert escaped_words(pseudo_text("Resume {n} attempts").format(n=3)) == []


class PseudoApp(TrainApp):
    """The app with its scenarios shown in a pseudo translation, so scenario text is bracketed too."""

    CSS_PATH = Path(simulator.app.__file__).parent / "app.tcss"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.notified: list[str] = []

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:
        self.notified.append(f"{title}\n{message}")  # toasts are drawn later; the words are what matter
        super().notify(message, title=title, **kwargs)

    def load_scenarios(self) -> None:
        super().load_scenarios()
        for scenario_id, scenario in list(self.catalog.scenarios.items()):
            texts = {item.id: pseudo_text(item.text) for item in source_strings(scenario)}
            self.catalog.scenarios[scenario_id] = translated_copy(scenario, texts)


def screen_text(app: TrainApp) -> str:
    """What the terminal shows now (the SVG screenshot's text, one line per row). Over a dialog, only the
    dialog's box: the dimmed screen behind it is cut at the box's edges, and was checked on its own."""
    svg = app.export_screenshot()
    box = app.screen.query(".dialog-box")
    region = box.first().region if box else None
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        column, row = round(float(x) / CELL_WIDTH), round((float(y) - FIRST_ROW_Y) / ROW_HEIGHT)
        if region is not None and not (region.x <= column < region.right and region.y <= row < region.bottom):
            continue
        rows.setdefault(float(y), []).append((float(x), text))
    return "\n".join("".join(html.unescape(t) for _, t in sorted(row)) for _, row in sorted(rows.items())).replace(
        "\u00a0", " ")


def test_no_english_escapes_the_catalogue_on_any_screen(db_path) -> None:
    seen: dict[str, str] = {}

    async def run() -> None:
        app = PseudoApp(db_path=db_path, scenarios=SCENARIOS, trainee=None, coach=True, lang=i18n.PSEUDO)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            seen["first-run dialog"] = screen_text(app)
            await pilot.press(*"Sam", "enter")
            await pilot.pause()
            seen["home"] = screen_text(app)
            app.screen.action_resume()  # type: ignore[attr-defined]  # nothing to resume: a notification (the r key is hidden then)
            await pilot.pause()
            await pilot.press("enter", "2")
            await pilot.pause()
            seen["conversation, coach mode"] = screen_text(app)
            await pilot.press("escape")  # "your choices are saved": a notification
            await pilot.pause()
            await pilot.press("enter")  # an unfinished attempt: the question dialog
            await pilot.pause()
            seen["question dialog"] = screen_text(app)
            await pilot.press("tab", "enter")  # start again
            await pilot.pause()
            await pilot.press("1", "2", "1")
            await pilot.pause()
            seen["end of the conversation"] = screen_text(app)
            await pilot.press("d")
            await pilot.pause()
            seen["debrief"] = screen_text(app)
            for step in app.screen.query(".turn-review"):
                step.scroll_visible(top=True, animate=False)
                await pilot.pause()
                seen[f"debrief, {step}"] = screen_text(app)
            await pilot.press("s")
            await pilot.pause()
            seen["step picker"] = screen_text(app)
            await pilot.press("escape", "escape")
            await pilot.pause()
            await pilot.press("h")
            await pilot.pause()
            seen["history"] = screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            app.action_toggle_coach()
            app.action_help_quit()  # what ctrl+c says
            await pilot.pause()
            seen["coach toggled"] = screen_text(app)
            seen["notifications"] = "\n".join(app.notified)
            for screen_name in ("home",):
                commands = list(app.get_system_commands(app.screen))
                seen[f"palette on {screen_name}"] = "\n".join(f"{c.title}\n{c.help}" for c in commands)
            await pilot.press("ctrl+p")
            await pilot.pause()
            seen["palette open"] = screen_text(app)

    asyncio.run(run())
    assert len(seen) >= 12
    expected = {  # each step of the walk did reach what it meant to check
        "first-run dialog": "Who is training?",
        "notifications": "Nothing to resume",
        "question dialog": "You have an unfinished attempt",
        "conversation, coach mode": "Coach: ",
        "end of the conversation": "The end",
        "debrief": "Your choices, step by step",
        "step picker": "Retry from which step?",
        "history": "When",
        "coach toggled": "plain mode",
        "palette on home": "Change trainee",
        "palette open": "Search for commands…",
    }
    for name, message in expected.items():
        assert pseudo_text(message) in seen[name], name
    for title in ("Attempt saved", "Plain mode on", "Do you want to quit?"):
        assert pseudo_text(title) in seen["notifications"], title
    escaped = {name: words for name, text in seen.items() if (words := escaped_words(text))}
    assert escaped == {}, {name: seen[name] for name in escaped}


def test_the_pseudo_walk_sees_bracketed_text(db_path) -> None:
    """Guard against a vacuous pass: the screens walked above do show the app's own words, bracketed."""

    async def run() -> str:
        app = PseudoApp(db_path=db_path, scenarios=SCENARIOS, trainee="Sam", coach=True, lang=i18n.PSEUDO)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return screen_text(app)

    text = asyncio.run(run())
    assert pseudo_text("Choose a scenario with ↑ ↓ and press Enter to start.") in text
    assert pseudo_text("History") in text  # a footer key's description
    assert pseudo_text("Practice call") in text  # the fixture's title, through its pseudo translation
