"""Slider-to-redraw time of PriorScaleExplorer on the diabetes data (kernel side).

Run: ``.venv/bin/python benchmarks/bench_widgets.py``.  Each row moves the
scale slider to 30 new values (never seen before, so no cache helps) by
setting ``controls["scale"].value`` and times until the view has its new
readout and PNG figure(s); medians and 90th percentiles over the moves.

* "MAP part": Laplace prior sampled on request (``sampler="nutpie"``, nothing
  sampled, so no live posterior competes for the CPU): the penalty readout, the MAP
  at the new scale and the path figure with its marker moved. Target < 100 ms.
* "MAP + exact posterior": Normal prior with fixed sigma: also the closed-form
  posterior and its forest plot (information).
* "slider move -> posterior shown": Laplace prior, sigma fixed: from setting the
  slider until the view shows the live Gibbs posterior of that scale (2 chains x
  1000 draws in the view's worker thread, forest plot and note); timed after the
  posterior band along the path has been drawn, and again while it is being drawn
  (the worker then finishes one band scale first). Target < 300 ms median.
* "slider move -> posterior shown" for the other likelihoods with a Gibbs scheme
  (information, fewer moves: each draw sweeps all n rows): Laplace prior with the
  Bernoulli-logit likelihood on "y above its median" (Polya-Gamma Gibbs), and with
  the Student-t likelihood (df = 4, scale-mixture Gibbs), sigma estimated.  The
  horseshoe has no row: it has no MAP, so the explorer does not offer it.
* the pieces of the MAP part, and a revisit of cached scales (information).

The browser adds the message round trip and image decoding on top (a few ms
on localhost).
"""

import os
import statistics
import sys
import time

import matplotlib
import numpy as np

matplotlib.use("Agg")

import bayesreg as br  # noqa: E402
from bayesreg.widgets import PriorScaleExplorer  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, print_table  # noqa: E402

SIGMA = 54.0
MOVES = 30
#: moves of the rows whose draws sweep all n rows (Polya-Gamma, Student-t weights)
SLOW_MOVES = 8


def _moves(view, scales):
    times = []
    for s in scales:
        start = time.perf_counter()
        view.controls["scale"].value = float(s)
        times.append(time.perf_counter() - start)
    return times


def _moves_to_posterior(view, scales):
    """Seconds from each slider move until the view shows that scale's live posterior."""
    times = []
    for s in scales:
        start = time.perf_counter()
        view.controls["scale"].value = float(s)
        assert view.wait(60)
        times.append(time.perf_counter() - start)
        state = view.state
        assert state["posterior_source"] == "gibbs" and state["scale"] == view.state["scale"]
    return times


def _row(name, times, target=None):
    ms = np.array(times) * 1e3
    median = statistics.median(ms)
    row = {
        "measurement": name,
        "moves": len(ms),
        "median (ms)": f"{median:.1f}",
        "p90 (ms)": f"{np.percentile(ms, 90):.1f}",
        "max (ms)": f"{ms.max():.1f}",
        "target": f"< {target} ms median" if target else "(info)",
        "met": ("yes" if median < target else "NO") if target else "",
    }
    return row


def main():
    X, y = br.datasets.load_diabetes()
    rows = []
    rng = np.random.default_rng(0)

    # sampler named: no live posterior, so this row times the MAP part alone
    laplace = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0, sampler="nutpie")
    lo, hi = laplace.explorer.scale_range
    new_scales = np.exp(rng.uniform(np.log(lo), np.log(hi), MOVES))
    _moves(laplace, np.exp(rng.uniform(np.log(lo), np.log(hi), 3)))  # warm-up
    rows.append(_row("MAP part: Laplace, slider -> readout + path", _moves(laplace, new_scales),
                     target=100))
    rows.append(_row("  same scales again (cached state)", _moves(laplace, new_scales)))

    # the pieces of one MAP-part update
    explorer = laplace.explorer
    fresh = iter(np.exp(rng.uniform(np.log(lo), np.log(hi), 100_000)))
    state_time = median_time(lambda: explorer.map_state(next(fresh)), repeat=31)
    rows.append({"measurement": "  piece: map_state (MAPRegressor + to_penalty)", "moves": 31,
                 "median (ms)": f"{state_time * 1e3:.1f}", "p90 (ms)": "", "max (ms)": "",
                 "target": "(info)", "met": ""})
    from bayesreg.widgets._explorer_figures import current_scale_artists

    marker = current_scale_artists(laplace._path_view.ax)
    png_time = median_time(lambda: laplace._path_view.blit(marker, lambda: None), repeat=31)
    rows.append({"measurement": "  piece: path PNG, marker blitted", "moves": 31,
                 "median (ms)": f"{png_time * 1e3:.1f}", "p90 (ms)": "", "max (ms)": "",
                 "target": "(info)", "met": ""})

    full_time = median_time(laplace._path_view.png, repeat=11)
    rows.append({"measurement": "  piece: path PNG, full redraw (no blitting)", "moves": 11,
                 "median (ms)": f"{full_time * 1e3:.1f}", "p90 (ms)": "", "max (ms)": "",
                 "target": "(info)", "met": ""})

    normal = PriorScaleExplorer(X, y, prior="normal", sigma=SIGMA, scale=1.0)
    _moves(normal, np.exp(rng.uniform(np.log(lo), np.log(hi), 3)))
    rows.append(_row("MAP + exact posterior: Normal, readout + path + forest",
                     _moves(normal, np.exp(rng.uniform(np.log(lo), np.log(hi), MOVES)))))

    # the live posterior: the band first drawn (as after the first seconds of use)
    live = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0)
    assert live.wait(120, band=True)
    _moves_to_posterior(live, np.exp(rng.uniform(np.log(lo), np.log(hi), 3)))  # warm-up
    rows.append(_row("slider move -> posterior shown: Laplace, live Gibbs (2 x 1000)",
                     _moves_to_posterior(live, np.exp(rng.uniform(np.log(lo), np.log(hi), MOVES))),
                     target=300))
    drawing = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0)
    rows.append(_row("  the same while the band is being drawn",
                     _moves_to_posterior(drawing, np.exp(rng.uniform(np.log(lo), np.log(hi), 10)))))

    # the other likelihoods with a Gibbs scheme: the dropdown's choices, drawn live
    y_binary = (y > np.median(y)).astype(int)
    student_t = br.likelihoods.StudentT(df=4.0)
    for label, data, likelihood in [("Bernoulli-logit (Polya-Gamma)", y_binary, "bernoulli"),
                                    ("Student-t df=4 (scale mixture)", y, student_t)]:
        view = PriorScaleExplorer(X, data, prior="laplace", likelihood=likelihood, scale=1.0)
        assert view.wait(300)
        lo_l, hi_l = view.explorer.scale_range
        _moves_to_posterior(view, np.exp(rng.uniform(np.log(lo_l), np.log(hi_l), 1)))  # warm-up
        rows.append(_row(f"slider move -> posterior shown: Laplace, {label}, live Gibbs (2 x 1000)",
                         _moves_to_posterior(view, np.exp(rng.uniform(np.log(lo_l), np.log(hi_l),
                                                                      SLOW_MOVES)))))

    print_table(rows, f"bench_widgets: PriorScaleExplorer on diabetes (n={len(y)}, "
                      f"p={X.shape[1]}), sigma={SIGMA}, {MOVES} new slider values per row")


if __name__ == "__main__":
    main()
