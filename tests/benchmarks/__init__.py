"""Benchmarks run by ``tests/bench.py`` (``nox -s bench``); not tests, so pytest collects none of them.

- :mod:`benchmarks.corpus`: the generated zh/en posts and the sites written from them.
- :mod:`benchmarks.build`: build scenarios timed against plain Sphinx + MyST and Hugo.
- :mod:`benchmarks.search`: the search page measured in headless Chromium.
- :mod:`benchmarks.measure`: the wrapper process that measures one build.
"""
