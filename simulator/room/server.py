"""``rtw-train room``: serve the app to the browsers of a training room, from the trainer's machine.

Why textual-serve: it is the Textualize project's own server for Textual apps; each browser connection gets
its own app process, started from a command line, so a trainee in a browser plays exactly the app of the
terminal, over the one shared records file (WAL) of the room. Its stock page fetches a web font from outside
and shows the served command; ours (``templates/app_index.html``) serves everything locally and shows a
title. The server binds to localhost unless ``--host`` says otherwise.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any, TextIO

from ..i18n import N_, _
from ..records import RecordsError, resolve_db_path
from .codes import spaced
from .state import RoomStore

TEMPLATES = Path(__file__).parent / "templates"
# The page's own words, put in the template (``[[name]]``) in the room's language when the room starts.
PAGE_WORDS = {
    "opening": N_("Opening the training room…"),
    "ended": N_("This session has ended. Your choices are saved."),
    "join": N_("Join again"),
}
TITLE = N_("rtw-train — training room")  # the browser tab's title, translated when the room starts
ENV_ROOM_DB = "RTW_ROOM_DB"


def client_command(db_path: Path, extra: list[str] | None = None) -> str:
    """The command each browser connection runs: this Python, the room-client mode, the room's file."""
    parts = [sys.executable, "-m", "simulator.cli", "--db", str(db_path), *(extra or []), "room-client"]
    return " ".join(shlex.quote(p) for p in parts)


def lan_address() -> str | None:
    """This machine's address on the local network, to print for trainees (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: connect() on UDP only picks a route
            return probe.getsockname()[0]
    except OSError:
        return None


def public_url(host: str, port: int) -> str:
    """The address trainees type, which the page also uses for its own assets and socket: the machine's
    local-network address when listening on every interface (0.0.0.0 cannot be browsed to)."""
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = lan_address() or "127.0.0.1"
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def localized_templates(folder: Path) -> Path:
    """A copy of the page's templates in ``folder``, with its words and its ``lang`` in the active language.

    Why a copy and not a template variable: textual-serve renders the page with its own context, which
    knows nothing of the room's language; the words are put in before it sees the file. They are escaped
    for HTML; the template's own ``{{ … }}`` fields are left for textual-serve."""
    import html

    from auditor.i18n import current_language

    words = {name: html.escape(_(text)) for name, text in PAGE_WORDS.items()}
    words["lang"] = "fr" if current_language() == "fr" else "en"
    for template in TEMPLATES.iterdir():
        text = template.read_text(encoding="utf-8")
        for name, value in words.items():
            text = text.replace(f"[[{name}]]", value)
        (folder / template.name).write_text(text, encoding="utf-8")
    return folder


def announce(settings: Any, url: str, host: str, out: TextIO) -> None:
    print(_("Training room open at {url}/").format(url=url), file=out)
    # Translators: the two codes are aligned in a column; keep them aligned in the translation.
    print(_("  Room code for trainees:  {code}").format(code=spaced(settings.code)), file=out)
    print(_("  Your trainer code:       {code}  (opens the group's view; keep it)").format(
        code=spaced(settings.trainer_code)), file=out)
    print(_("  Codes valid until {moment} (UTC). Stop the room with ctrl+c.").format(moment=settings.expires_at),
          file=out)
    if host in ("127.0.0.1", "localhost", "::1"):
        print(_("  Only this computer can join: start with --host 0.0.0.0 to open it to the local network."), file=out)


def run_room(args: Any, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        from textual_serve.server import Server
    except ImportError:
        print(_("rtw-train: error: the training room needs textual-serve (pip install textual-serve)."), file=err)
        return 2
    db_path = resolve_db_path(getattr(args, "db", None))
    try:
        with RoomStore.open(db_path) as store:
            settings = store.open_room(hours=args.hours, renew=args.new_code)
    except RecordsError as exc:
        print(_("rtw-train: error: {message}").format(message=exc.message), file=err)
        return 2
    extra: list[str] = []
    for option in ("scenarios", "rubric"):
        value = getattr(args, option, None)
        if value:
            extra += [f"--{option}", str(Path(value).resolve())]
    if getattr(args, "lang", None):  # otherwise each app follows the room's locale, as the room does
        extra += ["--lang", args.lang]
    url = public_url(args.host, args.port)
    announce(settings, url, args.host, out)
    out.flush()
    os.environ[ENV_ROOM_DB] = str(db_path)
    import tempfile

    import textual_serve

    pages = tempfile.TemporaryDirectory(prefix="rtw-room-")
    server = Server(
        client_command(db_path, extra),
        host=args.host,
        port=args.port,
        title=_(TITLE),
        public_url=url,
        statics_path=Path(textual_serve.__file__).parent / "static",
        templates_path=localized_templates(Path(pages.name)),
    )
    try:
        server.serve()
    finally:
        pages.cleanup()
    return 0
