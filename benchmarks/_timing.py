"""Small timing helpers shared by the benchmark scripts."""

import statistics
import time


def median_time(func, *, repeat=21, min_time=0.02):
    """Median wall time of one call of ``func`` (seconds), over ``repeat`` batches.

    Each batch runs ``func`` enough times to last at least ``min_time``, so
    sub-millisecond calls are timed above the clock's resolution.
    """
    func()  # warm-up
    start = time.perf_counter()
    func()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(min_time / once))
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def print_table(rows, title):
    """Print rows (dicts with the same keys) as an aligned text table."""
    keys = list(rows[0])
    cells = [[str(row[k]) for k in keys] for row in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    print(title)
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths)))
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths)))
