"""Key bindings and palette commands translated when they are shown, not when their class is defined.

Why here: Textual reads a binding's ``description`` and ``tooltip`` (and a binding group's description) each
time the footer or the keys panel is drawn, from ``Screen.active_bindings``; bindings themselves are frozen
class attributes built at import. Translating the copies that ``active_bindings`` hands out lets a screen
keep plain English ``BINDINGS`` (marked with ``N_`` for extraction) and still follow a language switched
while the app runs. The same goes for Textual's own palette commands ("Theme", "Quit", "Keys"…), which the
app passes through :func:`translated_command`.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding

from ..i18n import N_, _

# Textual's own words shown in this app (the footer's palette key, its built-in palette commands), marked
# here so that the catalogue holds them; they are translated by the same lookup as the app's own.
TEXTUAL_WORDS = (
    # Translators: the footer's key that opens the command palette (lower case in Textual's footer).
    N_("palette"),
    N_("Open the command palette"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("Search for commands…"),
)


def _maybe(text: str) -> str:
    """``text`` translated, an empty string left empty (gettext would return the catalogue's header)."""
    return _(text) if text else text


def translated_binding(binding: Binding) -> Binding:
    """A copy of ``binding`` whose description, tooltip and group description are in the active language."""
    group = binding.group
    if group is not None and group.description:
        group = Binding.Group(_(group.description), compact=group.compact)
    return replace(binding, description=_maybe(binding.description), tooltip=_maybe(binding.tooltip),
                   group=group)


def translated_command(command: SystemCommand) -> SystemCommand:
    """A palette command (one of Textual's) with its title and help in the active language."""
    return command._replace(title=_maybe(command.title), help=_maybe(command.help))


class TranslatedBindings:
    """Mixin for a Screen: the footer and the keys panel see its bindings in the active language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        found = super().active_bindings  # type: ignore[misc]
        return {
            key: ActiveBinding(active.node, translated_binding(active.binding), active.enabled,
                               _maybe(active.tooltip))
            for key, active in found.items()
        }
