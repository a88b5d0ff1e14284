"""``rtw-audit report``: the process fidelity report across many case logs, safe to share.

``aggregate`` streams case audits into counts, ``rounding`` perturbs and rounds them for a committee
(keyed, so the same data always gives the same report), ``settings`` reads the committee's settings
file, ``model`` turns them into one plain report record, and ``html``/``markdown``/``csv_out``/
``json_out`` render that record. ``cli`` wires it to the command line.
"""
