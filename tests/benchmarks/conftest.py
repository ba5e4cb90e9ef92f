"""Benchmarks run with `make bench`, not with `make test`.

Each benchmark states its speed target; the run fails when the median misses it. They
measure on the machine at hand (2 cores here), so targets leave room for a busy CI.
"""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/benchmarks/" in str(item.fspath):
            item.add_marker(pytest.mark.bench)


def assert_target(benchmark, *, median_ms: float) -> None:
    median = benchmark.stats.stats.median * 1000
    assert median <= median_ms, f"median {median:.1f} ms is over the {median_ms} ms target"
