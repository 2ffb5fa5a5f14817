"""Benchmarks (``python -m benchmarks`` runs them all). Never run as timed tests.

``_harness`` is the shared machinery: the emulator in its own process, each measured variant in
its own subprocess (client CPU seconds, peak RSS, wall time), and a Markdown table of ratios.
"""
