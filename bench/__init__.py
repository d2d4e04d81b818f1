"""Benchmarks, run on demand: ``make bench`` (all) or ``python -m bench NAME``.

Each module here has ``main(argv)`` and prints its measurements together with a
baseline measured in the same run, and their ratio.
"""
