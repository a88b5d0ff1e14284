"""The training room: one trainer's machine serves the app to the group's browsers.

Why a package of its own: the room adds a shared database's room settings and presence (``state``), short
codes (``codes``), the group's live picture for the trainer (``summary``) and the web server (``server``);
none of it is needed to practise alone, and none of it imports Textual except the screens that show it.
"""
