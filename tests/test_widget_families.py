"""The views ask the prior family: choices from the registry, readout text from the class.

References are independent of the code under test: the penalty formulas worked
out by hand (alpha = sigma^2 / (n s) for a Laplace-type L1 weight 1/s), the
readout lines as the widgets printed them before the family knowledge moved
onto the classes, and scikit-learn's Lasso at the mapped alpha.
"""

import gc
import math
import threading
from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.linear_model import Lasso

import bayesreg as br
from bayesreg.model.priors import PenaltyWeights, Prior
from bayesreg.model.registry import prior_families
from bayesreg.plots._families import family_style, short_repr
from bayesreg.teaching import variance as teaching_variance
from bayesreg.teaching.shrinkage import one_coefficient_posterior, prior_variance
from bayesreg.widgets import _prior_choice
from bayesreg.widgets.scale_explorer import ScaleExplorer, make_prior, penalty_readout, prior_kind

from .conftest import SIGMA_DIABETES as SIGMA

# The readout as the widgets printed it when each family's text was typed out in
# widgets/scale_explorer.py (main 5f86586): the move to Prior.penalty_formulas keeps it.
RECORDED_READOUT = {
    br.Normal(scale=2.0): [
        "Ridge alpha = sigma^2 / t^2 = 1.3^2 / 2^2 = 0.4225",
        "glmnet lambda = sigma^2 sd(y) / (n t^2) = 1.3^2 * 2.7 / (50 * 2^2) = 0.02282, alpha = 0",
        "LogisticRegression C = t^2 = 4, l1_ratio = 0",
    ],
    br.Laplace(scale=0.5): [
        "Lasso alpha = sigma^2 / (n s) = 1.3^2 / (50 * 0.5) = 0.0676",
        "glmnet lambda = sigma^2 / (n s) = 0.0676, alpha = 1",
        "LogisticRegression C = s = 0.5, l1_ratio = 1",
    ],
    br.ElasticNet(scale=1.5, l1_ratio=0.3): [
        "ElasticNet alpha = sigma^2 / n * (r/s + (1-r)/s^2) = 1.3^2 / 50 * (0.3/1.5 + "
        "0.7/1.5^2) = 0.01728, l1_ratio = (r/s) / (r/s + (1-r)/s^2) = 0.3913",
        "glmnet lambda = sigma^2 / n * (r/s + sd(y) (1-r)/s^2) = 0.03515, alpha = (r/s) / "
        "(r/s + sd(y) (1-r)/s^2) = 0.1923 (sd(y) = 2.7)",
        "LogisticRegression C = 1 / (r/s + (1-r)/s^2) = 1.957, l1_ratio = 0.3913",
    ],
}


@pytest.mark.parametrize("prior", list(RECORDED_READOUT), ids=repr)
def test_readout_text_is_the_recorded_text(prior):
    readout = penalty_readout(prior, n_samples=50, sigma=1.3, y_sd=2.7)
    assert readout["formulas"] == RECORDED_READOUT[prior]


def test_readout_numbers_are_the_hand_worked_penalties():
    n, sigma, y_sd, s, r = 50, 1.3, 2.7, 1.5, 0.3
    a, b = r / s, (1 - r) / s**2
    readout = penalty_readout(br.ElasticNet(scale=s, l1_ratio=r), n_samples=n, sigma=sigma,
                              y_sd=y_sd)
    assert readout["sklearn"]["alpha"] == pytest.approx(sigma**2 / n * (a + b), rel=1e-12)
    assert readout["sklearn"]["l1_ratio"] == pytest.approx(a / (a + b), rel=1e-12)
    assert readout["glmnet"]["lambda"] == pytest.approx(sigma**2 / n * (a + y_sd * b), rel=1e-12)
    assert readout["logistic"]["C"] == pytest.approx(1 / (a + b), rel=1e-12)


def test_the_choices_are_the_registry_families_with_their_labels():
    options = _prior_choice.prior_options()
    assert options[:3] == [
        ("Normal (ridge)", "normal"), ("Laplace (lasso)", "laplace"), ("ElasticNet", "elasticnet"),
    ]
    # every family of the registry, with its own label (e.g. the Student-t of adding_a_prior.md)
    assert options == [(cls.label, kind) for kind, cls in prior_families().items()]
    assert make_prior("Elastic-Net", 2.0, 0.25) == br.ElasticNet(scale=2.0, l1_ratio=0.25)
    assert make_prior("laplace", 2.0, 0.25) == br.Laplace(scale=2.0)  # no l1_ratio: ignored
    assert prior_kind(br.Normal(scale=3.0)) == "normal"


def test_family_styles_are_unchanged_for_the_three_families():
    from bayesreg.plots._style import ACCENT_COLORS

    assert family_style(br.Normal) == {"color": ACCENT_COLORS[1], "linestyle": "--"}
    assert family_style(br.Laplace(scale=2.0)) == {"color": ACCENT_COLORS[0], "linestyle": "-"}
    assert family_style(br.ElasticNet) == {"color": ACCENT_COLORS[2], "linestyle": "-."}
    assert short_repr(br.ElasticNet(scale=0.70710678, l1_ratio=0.5)) == (
        "ElasticNet(scale=0.707, l1_ratio=0.5)")
    assert short_repr(br.Laplace(scale=0.70710678)) == "Laplace(scale=0.707)"


# ---------------------------------------------------------------- a family added elsewhere


def _define_wide_laplace():
    """A family defined outside bayesreg: p(w) = exp(-|w|/(2s)) / (4s), a Laplace of scale 2s."""

    @dataclass(frozen=True)
    class WideLaplace(Prior):
        scale: float = 1.0
        kind = "widelaplace"
        label = "Wide Laplace (test)"

        @property
        def penalty_weights(self):
            return PenaltyWeights(0.5 / self.scale, 0.0)

        def _log_normalizer(self):
            return math.log(4.0 * self.scale)

    return WideLaplace


def test_a_new_family_is_offered_and_read_out_without_editing_the_views(diabetes):
    # a Prior subclass is registered for as long as the class lives: drop every reference
    # afterwards and check the registry forgot it (the other tests see three families)
    wide_laplace = _define_wide_laplace()
    try:
        _check_the_views_offer(wide_laplace, *diabetes)
    finally:
        del wide_laplace
        teaching_variance._unit_variance.cache_clear()
        gc.collect()
    assert "widelaplace" not in prior_families()


def _check_the_views_offer(wide_laplace, X, y):
    assert ("Wide Laplace (test)", "widelaplace") in _prior_choice.prior_options()
    assert prior_kind("Wide-Laplace") == "widelaplace"
    prior = make_prior("widelaplace", 2.0, 0.3)
    assert prior == wide_laplace(scale=2.0)
    assert not _prior_choice.has_l1_ratio("widelaplace")
    # its own plot style, distinct from the three families'
    styles = [family_style(cls) for cls in (br.Normal, br.Laplace, br.ElasticNet, wide_laplace)]
    assert len({tuple(sorted(s.items())) for s in styles}) == 4

    # the readout: no formula text of its own, so the numbers; alpha = sigma^2 / (n * 2s)
    explorer = ScaleExplorer(X, y, prior="widelaplace", sigma=SIGMA)
    state = explorer.map_state(2.0)
    alpha = SIGMA**2 / (len(y) * 2 * 2.0)
    assert state["alpha"] == pytest.approx(alpha, rel=1e-12)
    assert state["formulas"][0] == f"ElasticNet alpha = {alpha:.4g}, l1_ratio = 1"
    lasso = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], lasso.coef_, rtol=1e-5, atol=1e-6)
    assert explorer.state(2.0)["posterior"] is None  # no closed form: press Sample

    # the one-coefficient lesson: a Laplace of scale 2s, variance 2 (2s)^2
    assert prior_variance(wide_laplace(scale=0.5)) == pytest.approx(2.0, rel=1e-9)
    result = one_coefficient_posterior(1.0, 1.0, wide_laplace(scale=0.5))
    reference = one_coefficient_posterior(1.0, 1.0, br.Laplace(scale=1.0))
    assert result.mean == pytest.approx(reference.mean, rel=1e-12)
    assert result.map == reference.map == 0.0


# ---------------------------------------------------------------- one family per method


def test_a_family_switch_inside_a_method_does_not_mix_two_families(diabetes, monkeypatch):
    """Review leftover: ScaleExplorer read ``self.family`` (kind, l1_ratio) several times
    in one method, so a switch from another thread in between cached a Laplace prior
    under "normal" keys or labelled it "normal". Each method now reads it once."""
    from bayesreg.widgets import scale_explorer

    X, y = diabetes
    explorer = ScaleExplorer(X, y, prior="laplace", sigma=SIGMA)
    original = scale_explorer.penalty_readout
    switched = threading.Event()

    def readout_then_switch(prior, **kwargs):
        # another thread switches the family while this method is half-way
        if not switched.is_set():
            switched.set()
            explorer.set_family("normal")
        return original(prior, **kwargs)

    monkeypatch.setattr(scale_explorer, "penalty_readout", readout_then_switch)
    state = explorer.state(2.0)
    assert switched.is_set() and explorer.kind == "normal"
    assert state["prior"] == br.Laplace(scale=2.0)
    assert state["prior_kind"] == "laplace" and state["l1_ratio"] is None
    assert state["posterior_source"] is None  # the Laplace has no closed form; not Normal's
    # nothing of the Laplace was stored under the Normal's keys
    normal = explorer.state(2.0)
    assert normal["prior"] == br.Normal(scale=2.0) and normal["posterior_source"] == "exact"
    explorer.set_family("laplace")
    assert explorer.map_state(2.0)["prior"] == br.Laplace(scale=2.0)
