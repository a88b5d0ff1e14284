"""Widgets of the training app: transcript, numbered choices, trust chart, score tables, turn review."""
