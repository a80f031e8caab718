"""Leaf layer: diagnostics, dates, ids, worker processes, third-party asset lookup."""
