"""``rtw-audit report``: the process fidelity report across many case logs, safe to share.

``aggregate`` streams case audits into counts, ``suppress`` decides which counts a committee may
see, ``model`` turns both into one plain report record, and ``html``/``markdown``/``csv_out``/
``json_out`` render that record. ``cli`` wires it to the command line.
"""
