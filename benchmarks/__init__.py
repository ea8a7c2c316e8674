"""fairlane benchmarks: every figure is printed next to a baseline measured in the same run.

Run ``python -m benchmarks --help`` (or ``make bench``). Results are saved as JSON to
``benchmarks/results/latest.json``.
"""
