"""The trainer's view of a training room: who is here, where each trainee is, and the group's choices.

Why a screen of the same app: the trainer opens the room's address like everyone else and types the trainer
code; the view reads the shared records every second (``simulator.room.summary`` does the counting), so a
choice made in any browser appears here within a second. The trainer sets the scenario and the mode for
everyone and holds or opens the debrief. Names are the pseudonyms trainees typed; below five trainees on a
scenario the spread shows no counts unless the trainer asks for them (key ``n``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from auditor.i18n import format_decimal

from ..i18n import N_, _, ngettext
from ..records import RecordsError
from ..room.codes import spaced
from ..room.state import MODES
from ..room.summary import SMALL_GROUP, GroupPicture, picture
from ..score_words import dimension_label, outcome_word
from .translated import TranslatedBindings

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

REFRESH_SECONDS = 1.0
FREE = "__free__"
MODE_LABELS = {"free": N_("Trainees choose"), "coach": N_("Coach mode for all"), "plain": N_("Plain mode for all")}
VALENCE_MARK = {"constructive": "+", "neutral": "·", "harmful": N_("✗ harmful"), "mixed": "±", "-": ""}
PLAYER_MODES = {"coach": N_("coach"), "plain": N_("plain")}
STATUS_WORDS = {"playing": N_("playing"), "finished": N_("finished"), "waiting": N_("waiting")}


def _mark(valence: str) -> str:
    mark = VALENCE_MARK.get(valence, "")
    return _(mark) if valence == "harmful" else mark


class TrainerScreen(TranslatedBindings, Screen[None]):
    """Live: trainees, the spread of choices per decision, group scores and endings; the room's controls."""

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("l", "toggle_debrief", N_("Lock/open debrief"), id="trainer.debrief"),
        Binding("m", "cycle_mode", N_("Mode for all"), id="trainer.mode"),
        Binding("n", "toggle_counts", N_("Small-group counts"), id="trainer.counts"),
        Binding("s", "focus_scenario", N_("Scenario"), id="trainer.scenario"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="room-status", markup=False)
        with Horizontal(id="room-controls"):
            options = [(_("Free choice"), FREE)] + [(s.title, s.id) for s in self.app.catalog.scenarios.values()]
            yield Select(options, value=FREE, allow_blank=False, id="room-scenario")
            yield Select([(_(label), key) for key, label in MODE_LABELS.items()], value="free", allow_blank=False,
                         id="room-mode")
        with VerticalScroll(id="room-body"):
            yield Static(_("Trainees"), classes="section-title")
            yield DataTable(id="room-trainees", cursor_type="row", zebra_stripes=True)
            yield Static("", id="room-spread-title", classes="section-title", markup=False)
            yield DataTable(id="room-spread", cursor_type="row", zebra_stripes=True)
            yield Static("", id="room-scores", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Training room — trainer's view")
        self.query_one("#room-trainees", DataTable).add_columns(
            _("Trainee"), _("Here"), _("Scenario"), _("Decision"), _("Mode"), _("Status"))
        self.query_one("#room-spread", DataTable).add_columns(_("Decision"), _("Option"), _("Coach's codes"), _("Taken"))
        settings = self._room().settings()
        if settings is not None:
            self.query_one("#room-scenario", Select).value = settings.scenario_id or FREE
            self.query_one("#room-mode", Select).value = settings.mode
        self.refresh_picture()
        self.set_interval(REFRESH_SECONDS, self.refresh_picture)

    def _room(self) -> Any:
        return self.app.room  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ the live picture
    def refresh_picture(self) -> None:
        room = self._room()
        try:
            settings = room.settings()
            assigned = self.app.catalog.get(settings.scenario_id) if settings and settings.scenario_id else None
            group = picture(room, assigned, self.app.catalog.rubric,
                            show_small_counts=bool(settings and settings.show_small_counts),
                            otherwise=self.app.catalog.get)
            scenario = self.app.catalog.get(group.scenario_id) if group.scenario_id else None
        except RecordsError as exc:
            self.query_one("#room-status", Static).update(_("Cannot read the room: {problem}").format(problem=exc.message))
            return
        present = sum(1 for t in group.trainees if t.present)
        lock = _("debrief LOCKED (l opens it)") if settings and settings.debrief_locked else _("debrief open (l locks it)")
        code = spaced(settings.code) if settings else "-"
        mode = MODE_LABELS.get(settings.mode if settings else "free")
        self.query_one("#room-status", Static).update(
            ngettext("Room code {code} · {count} trainee here · {lock} · {mode}",
                     "Room code {code} · {count} trainees here · {lock} · {mode}", present).format(
                code=code, count=present, lock=lock, mode=_(mode) if mode else "")
        )
        self._fill_trainees(group)
        self._fill_spread(group, scenario)

    def _title_of(self, scenario_id: str | None) -> str:
        if not scenario_id:
            return "-"
        scenario = self.app.catalog.get(scenario_id)
        return scenario.title if scenario is not None else scenario_id

    def _fill_trainees(self, group: GroupPicture) -> None:
        table = self.query_one("#room-trainees", DataTable)
        table.clear()
        for t in group.trainees:
            table.add_row(
                t.pseudonym,
                _("yes") if t.present else _("left"),
                self._title_of(t.scenario_id),
                str(t.step) if t.scenario_id else "-",
                _(PLAYER_MODES[t.mode]) if t.mode in PLAYER_MODES else t.mode,
                _(STATUS_WORDS[t.status]) if t.status in STATUS_WORDS else t.status,
            )

    def _fill_spread(self, group: GroupPicture, scenario: Any) -> None:
        title = self.query_one("#room-spread-title", Static)
        table = self.query_one("#room-spread", DataTable)
        table.clear()
        if scenario is None:
            title.update(_("Choices: nobody has started a scenario yet"))
            self.query_one("#room-scores", Static).update("")
            return
        shown = ngettext("Choices in “{title}” ({count} trainee)", "Choices in “{title}” ({count} trainees)",
                         group.players).format(title=scenario.title, count=group.players)
        if group.counts_hidden:
            shown += _(" — fewer than {small} trainees: counts hidden so that nobody is singled out (n shows them)").format(
                small=SMALL_GROUP)
        title.update(shown)
        for decision in group.spread:
            for index, option in enumerate(decision.options):
                taken = "-" if option.count is None else str(option.count)
                table.add_row(
                    decision.prompt if index == 0 else "",
                    str(option.number),
                    f"{', '.join(option.codes)} {_mark(option.valence)}".strip(),
                    taken,
                )
        lines = []
        if group.dimensions:
            lines.append(_("Group scores (finished attempts):"))
            rubric = self.app.catalog.rubric
            for key, (mean, n) in group.dimensions.items():
                dim = rubric.dimension(key) if rubric is not None else None
                lines.append(_("  {skill}: {mean} (n={count})").format(
                    skill=dimension_label(dim) if dim else key, mean=format_decimal(mean, None), count=n))
        elif group.players:
            lines.append(_("Group scores appear once {small} trainees have finished (or press n).").format(
                small=SMALL_GROUP))
        if group.endings:
            lines.append(_("Endings reached:"))
            for node_id, count in group.endings.items():
                ending = scenario.nodes[node_id].ending
                shown = "-" if count is None else str(count)
                outcome = ending.outcome if ending else ""
                lines.append(_("  {ending} ({outcome}): {count}").format(
                    ending=ending.title if ending else node_id,
                    outcome=outcome_word(outcome), count=shown))
        self.query_one("#room-scores", Static).update("\n".join(lines))

    # ------------------------------------------------------------------ controls
    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        room = self._room()
        try:
            if event.select.id == "room-scenario":
                room.set_scenario(None if event.value in (FREE, Select.BLANK) else str(event.value))
            elif event.select.id == "room-mode" and event.value in MODES:
                room.set_mode(str(event.value))
        except RecordsError as exc:
            self.app.show_error(exc.title, exc.message)
        self.refresh_picture()

    def action_toggle_debrief(self) -> None:
        room = self._room()
        settings = room.settings()
        if settings is not None:
            room.set_debrief_locked(not settings.debrief_locked)
            self.notify(_("Debrief locked for everyone.") if not settings.debrief_locked
                        else _("Debrief open for everyone."))
        self.refresh_picture()

    def action_cycle_mode(self) -> None:
        select = self.query_one("#room-mode", Select)
        current = str(select.value) if select.value in MODES else "free"
        select.value = MODES[(MODES.index(current) + 1) % len(MODES)]

    def action_toggle_counts(self) -> None:
        room = self._room()
        settings = room.settings()
        if settings is not None:
            room.set_show_small_counts(not settings.show_small_counts)
        self.refresh_picture()

    def action_focus_scenario(self) -> None:
        self.query_one("#room-scenario", Select).focus()
