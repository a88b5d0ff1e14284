"""rtw-audit: check return-to-work case logs against the guides' rules.

The engine (reading, rules, outcomes) is plain Python; ``auditor.cli`` is a thin layer over it.
"""

__version__ = "0.1.0"
