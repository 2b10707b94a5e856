"""Faults: interrupted and failed fits leave estimators as they were; bad files give clear errors.

The reference in each test is the estimator's own state captured before the
fault (the same objects, bit for bit), or a marker file a malicious payload
would have created.
"""

import json
import os
import pickle

import arviz as az
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

import bayesreg as br
from bayesreg.posterior import estimators

FITTED = ("idata_", "coef_", "coef_median_", "coef_sd_", "intercept_", "diagnostics_", "map_",
          "n_features_in_", "sigma_")


def snapshot(model):
    """The fitted attributes, by identity and by value."""
    return {name: (getattr(model, name), np.copy(getattr(model, name)) if name.endswith("coef_") else None)
            for name in vars(model) if name.endswith("_")}


def assert_unchanged(model, before):
    assert {name for name in vars(model) if name.endswith("_")} == set(before)
    for name, (obj, copy) in before.items():
        assert getattr(model, name) is obj, name
        if copy is not None:
            np.testing.assert_array_equal(getattr(model, name), copy)


def fitted_attributes(model):
    return [name for name in vars(model) if name.endswith("_")]


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 3))
    return X, 0.5 + X @ [1.0, -1.0, 0.0] + rng.normal(size=30)


# ------------------------------------------------------------------ interrupted samplers
def test_interrupted_exact_sampler_keeps_the_previous_posterior(monkeypatch, data):
    X, y = data
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000,
                                  random_seed=0, progressbar=False).fit(X, y)
    before = snapshot(model)
    monkeypatch.setattr(estimators, "sample_conjugate", interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X[:, :2] * 3, y + 1)  # new width too: n_features_in_ must come back
    assert_unchanged(model, before)
    assert model.n_features_in_ == 3


def test_interrupted_sampler_leaves_an_unfitted_estimator_unfitted(monkeypatch, data):
    monkeypatch.setattr(estimators, "sample_conjugate", interrupt)
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", progressbar=False)
    with pytest.raises(KeyboardInterrupt):
        model.fit(*data)
    assert fitted_attributes(model) == []
    with pytest.raises(NotFittedError):
        check_is_fitted(model)


def test_interrupt_after_the_draws_during_the_map_keeps_the_previous_posterior(monkeypatch, data):
    """The MAP is fitted after the new idata_ is set: the worst moment to be interrupted."""
    X, y = data
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000,
                                  random_seed=0, progressbar=False).fit(X, y)
    before = snapshot(model)
    monkeypatch.setattr(br.MAPRegressor, "fit", interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y + 10)
    assert_unchanged(model, before)


@pytest.mark.filterwarnings("ignore::bayesreg.posterior.diagnostics.SamplingWarning")  # few draws
def test_interrupted_nutpie_keeps_the_previous_posterior(monkeypatch, data):
    nutpie = pytest.importorskip("nutpie")
    X, y = data
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="nutpie", draws=300, tune=300,
                                  chains=2, random_seed=1, progressbar=False).fit(X, y)
    before = snapshot(model)
    monkeypatch.setattr(nutpie, "sample", interrupt)  # raised inside the sampling call
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y * 2)
    assert_unchanged(model, before)
    monkeypatch.undo()
    # and the cached compiled model still works afterwards
    refit = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="nutpie", draws=300, tune=300,
                                  chains=2, random_seed=1, progressbar=False).fit(X, y)
    np.testing.assert_array_equal(refit.coef_, model.coef_)


# ------------------------------------------------------------------ failed fits
@pytest.mark.parametrize(
    "make",
    [
        lambda: br.MAPRegressor(br.Laplace(1.0), sigma=1.0),
        lambda: br.MAPRegressor(br.Normal(1.0)),
        lambda: br.MAPClassifier(br.Laplace(1.0)),
        lambda: br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000,
                                      random_seed=0, progressbar=False),
    ],
    ids=["map-laplace", "map-normal", "map-classifier", "posterior-exact"],
)
def test_failed_fit_never_corrupts_a_fitted_estimator(make, data):
    X, y = data
    X = pd.DataFrame(X, columns=["a", "b", "c"])
    if isinstance(make(), br.MAPClassifier):
        y = (y > np.median(y)).astype(int)
    model = make().fit(X, y)
    before = snapshot(model)
    bad_inputs = [
        (np.full((5, 3), np.nan), np.ones(5)),      # NaN
        (np.ones((5, 2)), np.ones(4)),              # inconsistent lengths, new width
        (np.full((4, 7), "x"), np.ones(4)),         # strings, new width
        (np.ones((0, 3)), np.ones(0)),              # no samples
    ]
    if isinstance(model, br.MAPClassifier):
        bad_inputs.append((np.ones((6, 7)), np.arange(6) % 3))  # three classes, new width
    for X_bad, y_bad in bad_inputs:
        with pytest.raises(ValueError):
            model.fit(X_bad, y_bad)
        assert_unchanged(model, before)
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_array_equal(model.predict(X), make().fit(X, y).predict(X))


def test_interrupted_map_solver_keeps_the_previous_fit(monkeypatch, data):
    X, y = data
    model = br.MAPRegressor(br.Laplace(1.0), sigma=1.0).fit(X, y)
    before = snapshot(model)

    class Interrupting:
        def set_params(self, **params):  # the one solver (map/solve.py) sets alpha per scale
            return self

        def fit(self, *args):
            raise KeyboardInterrupt

    monkeypatch.setattr("bayesreg.map.solve.make_enet", lambda *a, **k: Interrupting())
    with pytest.raises(KeyboardInterrupt):
        model.fit(X * 2, y)
    assert_unchanged(model, before)
    fresh = br.MAPRegressor(br.Laplace(1.0), sigma=1.0)
    with pytest.raises(KeyboardInterrupt):
        fresh.fit(X, y)
    assert fitted_attributes(fresh) == []


# ------------------------------------------------------------------ loading bad files
@pytest.fixture(scope="module")
def saved(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("saved") / "model.nc"
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000,
                                  random_seed=0, progressbar=False).fit(*data)
    model.save(path)
    return path


def with_meta(saved, path, edit):
    """A copy of ``saved`` whose JSON metadata (or the raw attribute) is edited."""
    idata = az.from_netcdf(saved)
    raw = idata.posterior.attrs["bayesreg"]
    new = edit(json.loads(raw))
    idata.posterior.attrs["bayesreg"] = new if isinstance(new, str) else json.dumps(new)
    idata.to_netcdf(str(path))
    return path


def test_saved_file_loads(saved):
    assert br.PosteriorRegressor.load(saved).n_features_in_ == 3  # the reference for the faults below


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],                                       # truncated
        lambda b: np.random.default_rng(0).bytes(len(b)),                 # random bytes
        lambda b: b"",                                                    # empty
        lambda b: b[:8] + np.random.default_rng(1).bytes(len(b) - 8),     # HDF5 signature, garbage after
    ],
    ids=["truncated", "random", "empty", "signature-then-garbage"],
)
def test_corrupt_file_gives_a_clear_error(tmp_path, saved, damage):
    path = tmp_path / "corrupt.nc"
    path.write_bytes(damage(saved.read_bytes()))
    with pytest.raises(ValueError, match="not a posterior saved by bayesreg"):
        br.PosteriorRegressor.load(path)


def test_foreign_netcdf_gives_a_clear_error(tmp_path):
    plain = tmp_path / "xarray.nc"
    xr.Dataset({"a": ("x", [1.0, 2.0])}).to_netcdf(plain)
    other = tmp_path / "arviz.nc"
    az.from_dict(posterior={"mu": np.zeros((2, 10))}).to_netcdf(str(other))
    for path in (plain, other):
        with pytest.raises(ValueError, match="not a posterior saved by bayesreg"):
            br.PosteriorRegressor.load(path)


MARKER = "pwned"


def payloads(marker):
    """Metadata edits that would run code if anything in load evaluated, imported or unpickled."""
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    def prior(value):
        return lambda meta: {**meta, "params": {**meta["params"], "prior": value}}

    return {
        "prior-class-key": (prior({"__class__": "os.system", "type": "Laplace", "scale": 1.0}), "unknown parameter"),
        "prior-type-callable": (prior({"type": "os.system", "command": f"touch {marker}"}), "not a saved bayesreg prior"),
        "prior-code-string": (prior({"type": "Laplace", "scale": code}), "damaged or edited"),
        "nested-hyperprior": (prior({"type": "Laplace", "scale": {"type": "builtins.eval", "scale": code}}),
                              "not a saved bayesreg prior"),
        "estimator-callable": (lambda meta: {**meta, "estimator": "os.system"}, "names the estimator"),
        "extra-parameter": (lambda meta: {**meta, "params": {**meta["params"], "__reduce__": code}},
                            "unknown parameters"),
        "sampler-code": (lambda meta: {**meta, "params": {**meta["params"], "draws": code}}, "draws must be"),
        "pickle-instead-of-json": (lambda meta: pickle.dumps(Evil(), protocol=0).decode("ascii"),
                                   "not a posterior saved by bayesreg"),
        "missing-keys": (lambda meta: {"format": meta["format"], "estimator": meta["estimator"]}, "damaged"),
        "wrong-format": (lambda meta: {**meta, "format": "something-else/9"}, "not written by bayesreg"),
    }


@pytest.mark.parametrize("name", list(payloads("x")))
def test_crafted_metadata_gives_a_clear_error_and_never_runs(tmp_path, saved, name):
    marker = tmp_path / MARKER
    edit, match = payloads(marker)[name]
    path = with_meta(saved, tmp_path / f"{name}.nc", edit)
    with pytest.raises(ValueError, match=match):
        br.PosteriorRegressor.load(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda meta: {**meta, "feature_names_in": ["a", "b"]}, "2 feature names for 3 features"),
        (lambda meta: {**meta, "params": {**meta["params"], "fit_intercept": False}}, "has intercept"),
    ],
    ids=["feature-names", "intercept"],
)
def test_metadata_that_contradicts_the_draws_gives_a_clear_error(tmp_path, saved, edit, match):
    path = with_meta(saved, tmp_path / "edited.nc", edit)
    with pytest.raises(ValueError, match=match):
        br.PosteriorRegressor.load(path)


def test_draws_that_contradict_the_data_give_a_clear_error(tmp_path, saved):
    """coef over 2 features beside an X with 3 columns (hand-edited groups)."""
    idata = az.from_netcdf(saved)
    idata.posterior = idata.posterior.isel(feature=slice(0, 2))
    path = tmp_path / "narrow.nc"
    idata.to_netcdf(str(path))
    with pytest.raises(ValueError, match="coef has 2 features but X has 3 columns"):
        br.PosteriorRegressor.load(path)


# ------------------------------------------------------------------ parameters a fit would refuse
@pytest.mark.parametrize(
    "field, value, match",
    [
        ("sigma", -5, "sigma must be finite and > 0"),
        ("fit_intercept", "False", "fit_intercept must be True or False"),
        ("random_seed", -1, "random_seed must be None, a non-negative integer"),
        ("random_seed", "abc", "random_seed must be None, a non-negative integer"),
        ("progressbar", "yes", "progressbar must be True or False"),
        ("target_accept", 3, "target_accept must be in"),
    ],
    ids=["sigma", "fit_intercept", "seed-negative", "seed-str", "progressbar", "target_accept"],
)
def test_load_refuses_parameters_that_fit_would_refuse(tmp_path, saved, field, value, match):
    path = with_meta(saved, tmp_path / f"{field}.nc",
                     lambda meta: {**meta, "params": {**meta["params"], field: value}})
    with pytest.raises(ValueError, match=match):
        br.PosteriorRegressor.load(path)


@pytest.mark.parametrize(
    "diagnostics, match",
    [("hello", "diagnostics must be a dict"), ({"divergences": 0}, "diagnostics lacks"),
     ({"divergences": "0", "max_r_hat": 1.0, "min_ess_bulk": 9.0, "min_ess_tail": 9.0},
      r"diagnostics\['divergences'\] must be a number")],
    ids=["string", "missing-keys", "string-value"],
)
def test_load_refuses_diagnostics_that_are_not_numbers(tmp_path, saved, diagnostics, match):
    path = with_meta(saved, tmp_path / "diagnostics.nc", lambda meta: {**meta, "diagnostics": diagnostics})
    with pytest.raises(ValueError, match=match):
        br.PosteriorRegressor.load(path)


# ------------------------------------------------------------------ saving never destroys a file
def _listing(directory):
    return sorted(p.name for p in directory.iterdir())


def test_unstorable_feature_name_gives_a_clear_error_and_keeps_the_previous_file(tmp_path, saved, data):
    """A NUL in a feature name used to give a raw HDF5 error after truncating the file."""
    X, y = data
    path = tmp_path / "model.nc"
    path.write_bytes(saved.read_bytes())
    before = path.read_bytes()
    frame = pd.DataFrame(X, columns=["a", "b\x00c", "d"])
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000,
                                  random_seed=0, progressbar=False).fit(frame, y)
    with pytest.raises(ValueError, match=r"feature name 'b\\x00c' contains a NUL character"):
        model.save(path)
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["model.nc"]


def test_save_that_fails_part_way_keeps_the_previous_file_and_leaves_no_temp(monkeypatch, tmp_path, saved):
    path = tmp_path / "model.nc"
    path.write_bytes(saved.read_bytes())
    before = path.read_bytes()
    model = br.PosteriorRegressor.load(saved)

    def write_half_then_fail(self, filename, *args, **kwargs):
        with open(filename, "wb") as handle:
            handle.write(b"\x89HDF\r\n\x1a\n partial")
        raise OSError("disk full")

    monkeypatch.setattr(az.InferenceData, "to_netcdf", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["model.nc"]


def test_save_over_an_existing_file_replaces_it(tmp_path, saved, data):
    X, y = data
    path = tmp_path / "model.nc"
    path.write_bytes(saved.read_bytes())
    model = br.PosteriorRegressor(br.Normal(2.0), sigma=1.0, sampler="exact", draws=1000,
                                  random_seed=1, progressbar=False).fit(X, y)
    model.save(path)
    assert _listing(tmp_path) == ["model.nc"]
    loaded = br.PosteriorRegressor.load(path)
    assert loaded.prior == br.Normal(2.0)
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
