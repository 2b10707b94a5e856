"""Running the samplers on a cached, compiled model.

Compilation, not sampling, is the cost of these models (seconds against
milliseconds), so each :class:`~bayesreg.posterior.model.ModelSpec` is built and
compiled once per process and then only fed new data: nutpie's
``CompiledModel.with_data`` and PyMC's ``pm.set_data`` swap shared values
without recompiling.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from collections import OrderedDict

import numpy as np

from ..model._params import PARAM_CHECKS, SAMPLERS
from ..model.likelihoods import get_likelihood
from ..model.prior_base import NUTS_SAMPLERS
from .model import build_model

__all__ = ["NUTS_SAMPLERS", "SAMPLERS", "check_sampler", "resolve_sampler", "sample_nuts"]

_REQUIREMENTS = {"nutpie": ("nutpie",), "numpyro": ("numpyro", "jax"), "pymc": ()}

_CACHE_SIZE = 16
# Widgets sample from worker threads: the caches, and pm.set_data on a shared
# pm.Model (pymc/numpyro), must not interleave. nutpie's with_data returns a copy.
_lock = threading.RLock()
_models = OrderedDict()  # ModelSpec -> pm.Model
_compiled = OrderedDict()  # ModelSpec -> nutpie CompiledModel
#: Models built and nutpie models compiled by this process (refits must not add to either).
compile_counts = {"model": 0, "nutpie": 0}


def check_sampler(name, owner):
    """Raise a clear error if ``name`` is unknown or its package is not installed."""
    PARAM_CHECKS["sampler"](name, "sampler", owner)  # the estimators' own wording
    missing = [pkg for pkg in _REQUIREMENTS.get(name, ()) if importlib.util.find_spec(pkg) is None]
    if missing:
        raise ImportError(
            f"{owner}: sampler={name!r} needs the package(s) {', '.join(missing)}, which "
            f"are not installed. Install them with: pip install {' '.join(missing)} "
            f"(or pip install 'bayesreg[{name}]'), or choose sampler='pymc'."
        )


def _installed(name):
    return all(importlib.util.find_spec(pkg) is not None for pkg in _REQUIREMENTS.get(name, ()))


def resolve_sampler(name, prior, likelihood, sigma_fixed):
    """The sampler that ``name`` stands for: ``"auto"`` becomes the prior's first choice.

    Every entry point (the estimators, :func:`bayesreg.workflow.posterior_path`,
    :func:`bayesreg.choose_scale`, the widgets) resolves ``"auto"`` here: the
    first of ``prior.samplers(likelihood, sigma_fixed)`` (``"exact"``, then
    ``"gibbs"``, then the NUTS samplers) whose packages are installed. Any other
    name is returned unchanged, so a forced sampler is always the one that runs.

    Parameters
    ----------
    name : str
        A value of the ``sampler`` parameter.
    prior : bayesreg.model.priors.Prior
    likelihood : str or bayesreg.model.likelihoods.Likelihood
    sigma_fixed : bool
        Whether the noise scale is fixed (a Gaussian ``sigma`` given).
    """
    if name != "auto":
        return name
    likelihood = get_likelihood(likelihood)
    name = likelihood.name
    offered = prior.samplers(name, sigma_fixed, likelihood.gibbs_prior_schemes)
    if not likelihood.has_gibbs_sampler:  # e.g. Poisson: NUTS only, whatever the prior
        offered = tuple(sampler for sampler in offered if sampler != "gibbs")
    if not offered:
        raise ValueError(
            f"sampler='auto': no sampler covers {prior!r} with the {name!r} likelihood "
            f"(Gibbs: {prior.gibbs_refusal(name)} NUTS: {prior.nuts_refusal()}). Use "
            "another prior (e.g. Laplace or Normal) with this likelihood."
        )
    return next((sampler for sampler in offered if _installed(sampler)), offered[-1])


def _remember(cache, key, value):
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def _model(spec, data):
    model = _models.get(spec)
    if model is None:
        model = build_model(spec, data)
        compile_counts["model"] += 1
        _remember(_models, spec, model)
    else:
        _models.move_to_end(spec)
    return model


def sample_nuts(spec, data, *, sampler, draws, tune, chains, random_seed, progressbar, target_accept):
    """Sample the model of ``spec`` at ``data`` with a NUTS sampler.

    Returns
    -------
    posterior, sample_stats : xarray.Dataset
        Dimensions ``chain``, ``draw`` (and ``feature``).
    """
    if sampler == "nutpie":
        import nutpie

        with _lock:
            model = _model(spec, data)
            compiled = _compiled.get(spec)
            if compiled is None:
                compiled = nutpie.compile_pymc_model(model)
                compile_counts["nutpie"] += 1
                _remember(_compiled, spec, compiled)
            else:
                _compiled.move_to_end(spec)
            with_data = compiled.with_data(**data)
        idata = nutpie.sample(
            with_data,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=_seed(random_seed),
            progress_bar=progressbar,
            save_warmup=False,
            target_accept=target_accept,
        )
        return idata.posterior, idata.sample_stats

    import pymc as pm

    with _lock, _model(spec, data) as model:
        pm.set_data(data)
        kwargs = {"nuts_sampler": sampler} if sampler == "numpyro" else {}
        with warnings.catch_warnings():
            # PyMC warns about divergences and R-hat itself; bayesreg reports them
            # once, with advice, in SamplingWarning (see diagnostics).
            warnings.filterwarnings("ignore", message=".*(divergen|rhat|r_hat|effective sample).*")
            idata = pm.sample(
                draws=draws,
                tune=tune,
                chains=chains,
                random_seed=_seed(random_seed),
                progressbar=progressbar,
                quiet=not progressbar,
                target_accept=target_accept,
                compute_convergence_checks=False,
                **kwargs,
            )
    return idata.posterior, idata.sample_stats


def _seed(random_seed):
    """An int seed for the samplers (they differ in what else they accept)."""
    if random_seed is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_seed, np.random.Generator):
        return int(random_seed.integers(2**31))
    return int(random_seed)
