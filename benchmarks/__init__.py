"""Benchmarks and synthetic data for rtw-audit.

``benchmarks.generate`` writes realistic synthetic caseloads in the ``rtw-case-log/1`` format;
``benchmarks.bench_audit`` measures the auditor on them. Both also run as scripts.
"""
