"""rtw-train: practise the return-to-work conversations in scripted, branching scenarios.

The engine (``simulator.engine``) never imports Textual; the app in ``simulator.app`` is a thin layer.
"""

__version__ = "0.1.0"
