"""sampler="auto" (issue 22): each prior says which samplers cover it; the first one runs.

The documented rule: "exact" where the posterior is conjugate (Normal prior of
fixed scale, Gaussian likelihood, fixed sigma), else "gibbs" where a validated
Gibbs scheme exists (Normal, Laplace, hierarchical Normal/Laplace; the horseshoe
only with the Gaussian likelihood), else "nutpie". The fitted ``sampler_`` says
which ran, and survives save/load.
"""

import inspect
import json

import arviz as az
import numpy as np
import pytest

import bayesreg as br
from bayesreg.widgets.scale_explorer import ScaleExplorer
from bayesreg.posterior import estimators, samplers
from bayesreg.posterior.samplers import resolve_sampler
from bayesreg.widgets import CoefficientComparison

# These tests are about which sampler runs, not its draws: few draws on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::bayesreg.posterior.diagnostics.SamplingWarning")

#: (prior, likelihood, sigma fixed) -> the sampler "auto" runs: the rule of the docs.
DOCUMENTED = [
    (br.Normal(1.0), "gaussian", True, "exact"),
    (br.Normal(1.0), "gaussian", False, "gibbs"),
    (br.Normal(1.0), "bernoulli", False, "gibbs"),
    (br.Normal(br.HalfCauchy(1.0)), "gaussian", True, "gibbs"),
    (br.Normal(br.HalfNormal(1.0)), "bernoulli", False, "gibbs"),
    (br.Laplace(1.0), "gaussian", True, "gibbs"),
    (br.Laplace(1.0), "gaussian", False, "gibbs"),
    (br.Laplace(1.0), "bernoulli", False, "gibbs"),
    (br.Laplace(br.HalfCauchy(1.0)), "gaussian", False, "gibbs"),
    (br.Laplace(br.HalfNormal(1.0)), "bernoulli", False, "gibbs"),
    (br.Horseshoe(1.0), "gaussian", False, "gibbs"),
    (br.Horseshoe(1.0), "gaussian", True, "gibbs"),
    (br.Horseshoe(1.0), "bernoulli", False, "nutpie"),  # the Gibbs scheme fails SBC there
    (br.ElasticNet(1.0, 0.5), "gaussian", True, "gibbs"),  # the Laplace scheme plus a ridge term
    (br.ElasticNet(1.0, 0.5), "gaussian", False, "gibbs"),
    (br.ElasticNet(br.HalfCauchy(1.0), 0.5), "bernoulli", False, "gibbs"),
    (br.RegularizedHorseshoe(1.0), "gaussian", True, "nutpie"),  # no Gibbs scheme
    (br.RegularizedHorseshoe(1.0), "bernoulli", False, "nutpie"),
]


def _small_regression(seed=0, n=40, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = 0.5 + X @ np.linspace(1.0, -1.0, p) + rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("prior, likelihood, sigma_fixed, expected", DOCUMENTED,
                         ids=lambda v: repr(v) if not isinstance(v, bool) else str(v))
def test_auto_resolves_to_the_documented_sampler(prior, likelihood, sigma_fixed, expected):
    assert resolve_sampler("auto", prior, likelihood, sigma_fixed) == expected
    offered = prior.samplers(likelihood, sigma_fixed)
    assert offered[0] == expected and offered[-3:] == ("nutpie", "pymc", "numpyro")
    # a forced sampler is never replaced
    for name in ("nutpie", "pymc", "numpyro", "gibbs", "exact"):
        assert resolve_sampler(name, prior, likelihood, sigma_fixed) == name


def test_every_entry_point_defaults_to_auto():
    for entry in (br.PosteriorRegressor, br.PosteriorClassifier, br.posterior_path, br.choose_scale,
                  CoefficientComparison, ScaleExplorer):  # PriorScaleExplorer passes it to ScaleExplorer
        assert inspect.signature(entry).parameters["sampler"].default == "auto", entry


@pytest.mark.parametrize("prior, sigma, expected", [
    (br.Normal(1.0), 1.0, "exact"),
    (br.Normal(1.0), None, "gibbs"),
    (br.Laplace(br.HalfCauchy(1.0)), None, "gibbs"),
    (br.Horseshoe(1.0), None, "gibbs"),
], ids=repr)
def test_default_fit_runs_the_documented_sampler_without_compiling(prior, sigma, expected):
    X, y = _small_regression()
    before = dict(samplers.compile_counts)
    model = br.PosteriorRegressor(prior, sigma=sigma, draws=300, tune=300, chains=2, random_seed=1,
                                  progressbar=False).fit(X, y)
    assert model.sampler_ == expected == model.idata_.attrs["sampler"]
    assert model.summary().attrs["sampler"] == expected
    assert samplers.compile_counts == before  # no PyMC model built, nothing compiled
    assert "sample_stats" not in model.idata_.groups()


def test_first_diabetes_lasso_compiles_nothing(diabetes):
    """The issue's case: PosteriorRegressor(Laplace(5.0)).fit(X, y) compiled nutpie (8-16 s)."""
    X, y = diabetes
    before = dict(samplers.compile_counts)
    model = br.PosteriorRegressor(br.Laplace(5.0), random_seed=0, progressbar=False).fit(X, y)
    assert model.sampler_ == "gibbs" and samplers.compile_counts == before


def test_classifier_default_is_gibbs_and_logistic_horseshoe_gets_nutpie(monkeypatch):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 3))
    y = (rng.uniform(size=80) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    model = br.PosteriorClassifier(br.Laplace(1.0), draws=200, tune=200, chains=2, random_seed=0,
                                   progressbar=False).fit(X, y)
    assert model.sampler_ == "gibbs"
    called = _record_nuts(monkeypatch)
    with pytest.raises(_Stop):
        br.PosteriorClassifier(br.Horseshoe(1.0), progressbar=False).fit(X, y)
    assert called == ["nutpie"]


class _Stop(Exception):
    """Raised by the stand-in for sample_nuts: the test needs the choice, not the draws."""


def _record_nuts(monkeypatch):
    called = []

    def fake(spec, data, *, sampler, **kwargs):
        called.append(sampler)
        raise _Stop

    monkeypatch.setattr(estimators, "sample_nuts", fake)
    return called


@pytest.mark.parametrize("prior", [br.RegularizedHorseshoe(1.0), br.RegularizedHorseshoe(0.1, slab_scale=1.0)],
                         ids=repr)
def test_a_family_without_gibbs_gets_nutpie(monkeypatch, prior):
    """(The elastic net was the example here before it had a Gibbs scheme.)"""
    X, y = _small_regression()
    called = _record_nuts(monkeypatch)
    for sigma in (None, 1.0):
        with pytest.raises(_Stop):
            br.PosteriorRegressor(prior, sigma=sigma, progressbar=False).fit(X, y)
    assert called == ["nutpie", "nutpie"]


@pytest.mark.parametrize("forced", ["nutpie", "pymc", "numpyro"])
def test_forcing_a_nuts_sampler_runs_it(monkeypatch, forced):
    """A prior whose first choice is exact still goes to the NUTS sampler named."""
    X, y = _small_regression()
    called = _record_nuts(monkeypatch)
    with pytest.raises(_Stop):
        br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler=forced, progressbar=False).fit(X, y)
    assert called == [forced]


def test_forcing_gibbs_and_nutpie_where_auto_would_choose_exact(small_gaussian):
    X, y = small_gaussian
    gibbs = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="gibbs", draws=200, tune=100,
                                  chains=2, random_seed=0, progressbar=False).fit(X, y)
    assert gibbs.sampler_ == "gibbs"
    # the model of tests/test_posterior.py's nutpie fixture: compiled once per session
    nuts = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="nutpie", draws=200, tune=200,
                                 chains=2, random_seed=0, progressbar=False)
    nuts.fit(X, y)
    assert nuts.sampler_ == "nutpie" == nuts.idata_.attrs["sampler"]
    assert "sample_stats" in nuts.idata_.groups()


def test_forced_samplers_keep_their_refusals(small_gaussian):
    X, y = small_gaussian
    with pytest.raises(ValueError, match="closed-form"):
        br.PosteriorRegressor(br.Laplace(1.0), sigma=1.0, sampler="exact").fit(X, y)
    with pytest.raises(ValueError, match="sampler='nutpie'"):
        br.PosteriorRegressor(br.RegularizedHorseshoe(1.0), sampler="gibbs").fit(X, y)
    with pytest.raises(ValueError, match="fails simulation-based calibration"):
        br.PosteriorClassifier(br.Horseshoe(1.0), sampler="gibbs").fit(X, (y > y.mean()).astype(int))


@pytest.mark.parametrize("prior, sigma, expected", [
    (br.Normal(1.0), 1.0, "exact"), (br.Laplace(1.0), None, "gibbs")], ids=repr)
def test_sampler_survives_save_and_load(tmp_path, prior, sigma, expected):
    X, y = _small_regression()
    model = br.PosteriorRegressor(prior, sigma=sigma, draws=200, tune=200, chains=2, random_seed=3,
                                  progressbar=False).fit(X, y)
    model.save(tmp_path / "m.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "m.nc")
    assert loaded.sampler == "auto" and loaded.sampler_ == expected
    assert loaded.idata_.attrs["sampler"] == expected and loaded.summary().attrs["sampler"] == expected


def _without_saved_sampler(source, target):
    """The file a bayesreg from before sampler_ wrote: no "sampler" in its metadata or attrs."""
    idata = az.from_netcdf(source)
    meta = json.loads(idata.posterior.attrs["bayesreg"])
    del meta["sampler"]
    idata.posterior.attrs["bayesreg"] = json.dumps(meta)
    idata.attrs.pop("sampler", None)
    idata.to_netcdf(str(target))
    return target


@pytest.mark.parametrize("sampler", ["gibbs", "exact"])
def test_old_file_without_sampler_loads_and_infers_it(tmp_path, sampler):
    X, y = _small_regression()
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler=sampler, draws=200, tune=100,
                                  chains=2, random_seed=3, progressbar=False).fit(X, y)
    model.save(tmp_path / "new.nc")
    old = _without_saved_sampler(tmp_path / "new.nc", tmp_path / "old.nc")
    loaded = br.PosteriorRegressor.load(old)
    assert loaded.sampler_ == sampler  # the sampler parameter was the sampler that ran
    np.testing.assert_array_equal(loaded.coef_, model.coef_)


def test_a_crafted_sampler_in_a_file_is_refused(tmp_path):
    X, y = _small_regression()
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, draws=100, chains=2, random_seed=3,
                                  progressbar=False).fit(X, y)
    model.save(tmp_path / "m.nc")
    idata = az.from_netcdf(tmp_path / "m.nc")
    meta = json.loads(idata.posterior.attrs["bayesreg"])
    idata.posterior.attrs["bayesreg"] = json.dumps({**meta, "sampler": "os.system"})
    idata.to_netcdf(str(tmp_path / "bad.nc"))
    with pytest.raises(ValueError, match="damaged or edited"):
        br.PosteriorRegressor.load(tmp_path / "bad.nc")


def test_paths_choose_scale_and_compare_report_the_sampler(small_gaussian):
    X, y = small_gaussian
    common = dict(draws=200, tune=200, chains=2, random_seed=0)
    assert br.posterior_path(X, y, br.Normal(1.0), [0.5, 2.0], sigma=1.0, **common).sampler == "exact"
    assert br.posterior_path(X, y, br.Laplace(1.0), [0.5, 2.0], **common).sampler == "gibbs"
    # None, the default before "auto", still means the same
    assert br.posterior_path(X, y, br.Normal(1.0), [0.5, 2.0], sigma=1.0, sampler=None,
                             **common).sampler == "exact"
    choice = br.choose_scale(X, y, br.Laplace(1.0), "hierarchical", draws=300, tune=300, random_seed=0)
    assert choice.details["model"].sampler_ == "gibbs"
    posterior = br.PosteriorRegressor(br.Laplace(1.0), sigma=1.0, progressbar=False, **common).fit(X, y)
    table = br.compare(br.MAPRegressor(br.Laplace(1.0), sigma=1.0).fit(X, y), posterior).table
    assert table.attrs["sampler"] == "gibbs"
