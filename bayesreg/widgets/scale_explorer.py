r"""What the prior-scale explorer shows, computed: no widgets, no plotting.

:class:`ScaleExplorer` holds one regression problem (X, y, sigma) and a prior
family, and answers "what does the model look like at prior scale t?":

* the equivalent penalty in every convention (:func:`penalty_readout`, via
  :func:`bayesreg.to_penalty`) with its formula,
* the MAP coefficients (:class:`bayesreg.MAPRegressor`) and the MAP path over
  a grid of scales (:func:`bayesreg.map_path`), computed once per family,
* the posterior along the whole path where it is known
  (:meth:`ScaleExplorer.posterior_band`: exact at every scale of the grid
  for the Normal prior with a fixed sigma, else at the sampled scales),
* the posterior at t, in the table layout of :func:`bayesreg.workflow.compare`:

  - Normal prior with a fixed sigma: the exact conjugate posterior
    (:func:`bayesreg.posterior.exact.conjugate_posterior`), instantly;
  - otherwise: the nearest posterior sampled so far (:meth:`ScaleExplorer.sample`),
    reweighted to t by Pareto-smoothed importance sampling
    (:mod:`bayesreg.posterior.reweight`), with its Pareto k-hat; or the
    sampled posterior itself when t was sampled.

Every result is cached per (family, scale), so moving back to a scale costs a
dictionary look-up.  :mod:`bayesreg.widgets` is the notebook view of this class.
"""

from __future__ import annotations

import math
import numbers
import threading

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from ..map import MAPRegressor, estimate_sigma, map_path
from ..model.mapping import to_penalty
from ..posterior import PosteriorRegressor
from ..posterior.exact import conjugate_posterior
from ..workflow.posterior_path import PosteriorPath
from ..posterior.reweight import KHAT_THRESHOLD, psis_reweight, weighted_summary
from ..model.priors import ElasticNet, Laplace, Normal, Prior
from .._warnings import recording_warnings

__all__ = ["PRIOR_KINDS", "ScaleExplorer", "make_prior", "penalty_readout", "prior_kind"]

#: Prior families the explorer offers, by the name used in its controls.
PRIOR_KINDS = {"normal": Normal, "laplace": Laplace, "elasticnet": ElasticNet}

SUMMARY_COLUMNS = ["map", "mean", "median", "sd", "hdi_low", "hdi_high"]


def _normalised(name):
    return str(name).lower().replace("-", "").replace("_", "").replace(" ", "")


def _prior_classes():
    """Every Prior subclass by normalised name (the registry comes from the classes)."""
    found, todo = {}, list(Prior.__subclasses__())
    while todo:
        cls = todo.pop()
        found[_normalised(cls.__name__)] = cls
        todo.extend(cls.__subclasses__())
    return found


def prior_kind(prior):
    """The explorer's name of ``prior`` ("normal", "laplace" or "elasticnet").

    ``prior`` is one of those names (case, "-", "_" and spaces ignored) or a
    Normal/Laplace/ElasticNet instance.  Anything else is a ValueError that
    names the valid choices; a prior without a MAP (the horseshoe) is refused
    with the reason: the views show the MAP beside the posterior.
    """
    if isinstance(prior, Prior):
        name = type(prior).__name__
    elif isinstance(prior, str):
        name = prior
    else:
        raise ValueError(
            f"prior must be one of {sorted(PRIOR_KINDS)} (or a Normal/Laplace/ElasticNet "
            f"prior), got {prior!r}."
        )
    key = _normalised(name)
    if key in PRIOR_KINDS:
        return key
    message = (
        f"prior must be one of {sorted(PRIOR_KINDS)} (or a Normal/Laplace/ElasticNet prior), "
        f"got {prior!r}."
    )
    cls = _prior_classes().get(key)
    if cls is not None and not cls.has_map:
        message += (
            f" The {cls.__name__} prior is not offered because it has no MAP estimate (its "
            "density is infinite at 0, so the penalized objective has no finite minimum), "
            "and these views compare the MAP with the posterior. Sample it with "
            f"bayesreg.PosteriorRegressor(bayesreg.{cls.__name__}(...)) instead."
        )
    raise ValueError(message)


def make_prior(kind, scale, l1_ratio=0.5):
    """The fixed-scale prior ``kind`` ("normal", "laplace", "elasticnet") at ``scale``."""
    key = prior_kind(kind)
    if key == "elasticnet":
        return ElasticNet(scale=scale, l1_ratio=l1_ratio)
    return PRIOR_KINDS[key](scale=scale)


def _fmt(value):
    return f"{value:.4g}"


def penalty_readout(prior, *, n_samples, sigma, y_sd):
    r"""The penalty equal to ``prior`` in every convention, with the formulas.

    Parameters
    ----------
    prior : Normal, Laplace or ElasticNet
        Fixed scale.
    n_samples : int
    sigma : float
        Noise standard deviation of the Gaussian model.
    y_sd : float
        ``numpy.std(y)`` (divisor n): glmnet standardises y, so its lambda
        for a prior with an L2 part depends on it.

    Returns
    -------
    dict
        ``"sklearn"``: ``to_penalty(prior, n_samples=n, sigma=sigma)`` (Ridge,
        Lasso or ElasticNet and its ``alpha``); ``"glmnet"``: the glmnet
        ``lambda`` and ``alpha`` (gaussian family, ``standardize=FALSE``, on
        this y); ``"logistic"``: ``C`` of scikit-learn's LogisticRegression
        with the same prior on a logistic model (no sigma, no n);
        ``"formulas"``: one line of text per convention, the formula with the
        numbers put in.
    """
    sk = to_penalty(prior, n_samples=n_samples, sigma=sigma)
    glm = to_penalty(prior, n_samples=n_samples, sigma=sigma, convention="glmnet", y_sd=y_sd)
    logistic = to_penalty(prior, likelihood="bernoulli")
    s, n, sig, d = prior.scale, n_samples, sigma, y_sd
    if isinstance(prior, Normal):
        lines = [
            f"Ridge alpha = sigma^2 / t^2 = {_fmt(sig)}^2 / {_fmt(s)}^2 = {_fmt(sk['alpha'])}",
            f"glmnet lambda = sigma^2 sd(y) / (n t^2) = {_fmt(sig)}^2 * {_fmt(d)} / "
            f"({n} * {_fmt(s)}^2) = {_fmt(glm['lambda'])}, alpha = 0",
            f"LogisticRegression C = t^2 = {_fmt(logistic['C'])}, l1_ratio = 0",
        ]
    elif isinstance(prior, Laplace):
        lines = [
            f"Lasso alpha = sigma^2 / (n s) = {_fmt(sig)}^2 / ({n} * {_fmt(s)}) = "
            f"{_fmt(sk['alpha'])}",
            f"glmnet lambda = sigma^2 / (n s) = {_fmt(glm['lambda'])}, alpha = 1",
            f"LogisticRegression C = s = {_fmt(logistic['C'])}, l1_ratio = 1",
        ]
    else:
        r = prior.l1_ratio
        lines = [
            f"ElasticNet alpha = sigma^2 / n * (r/s + (1-r)/s^2) = {_fmt(sig)}^2 / {n} * "
            f"({_fmt(r)}/{_fmt(s)} + {_fmt(1 - r)}/{_fmt(s)}^2) = {_fmt(sk['alpha'])}, "
            f"l1_ratio = (r/s) / (r/s + (1-r)/s^2) = {_fmt(sk['l1_ratio'])}",
            f"glmnet lambda = sigma^2 / n * (r/s + sd(y) (1-r)/s^2) = {_fmt(glm['lambda'])}, "
            f"alpha = (r/s) / (r/s + sd(y) (1-r)/s^2) = {_fmt(glm['alpha'])} "
            f"(sd(y) = {_fmt(d)})",
            f"LogisticRegression C = 1 / (r/s + (1-r)/s^2) = {_fmt(logistic['C'])}, "
            f"l1_ratio = {_fmt(logistic['l1_ratio'])}",
        ]
    return {"sklearn": sk, "glmnet": glm, "logistic": logistic, "formulas": lines}


def _check_data(X, y):
    """X, y as float arrays plus feature names, or a ValueError that says what is wrong."""
    columns = getattr(X, "columns", None)
    if columns is not None:
        numeric = [c for c in columns if pd.api.types.is_numeric_dtype(X[c])]
        bad = [str(c) for c in columns if c not in numeric]
        if bad:
            raise ValueError(
                f"X has non-numeric column(s) {bad}: the explorer needs numbers. Encode "
                "them first (e.g. pandas.get_dummies) or drop them."
            )
    names = [str(c) for c in columns] if columns is not None else None
    try:
        X = check_array(X, dtype=np.float64, ensure_min_samples=3, ensure_min_features=1)
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64), warn=False)
        check_consistent_length(X, y)
    except ValueError as exc:
        message = str(exc)
        if "could not convert" in message:
            message = f"X or y holds values that are not numbers ({message})."
        raise ValueError(message) from None
    if names is None:
        names = [f"x{j}" for j in range(X.shape[1])]
    _check_magnitudes(X, y, names)
    return X, y, names


#: Largest spread (and ratio of spreads) of X and y the views accept: they square X (the
#: gram matrix) and the prior scales (~ sd(y) / sd(x)), which must stay far inside float64.
MAGNITUDE_LIMIT = 1e50


def _spread(A):
    """Column standard deviations computed without squaring tiny or huge numbers."""
    centred = A - A.mean(axis=0)
    biggest = np.max(np.abs(centred), axis=0)
    unit = np.where(biggest > 0, biggest, 1.0)
    return biggest * np.sqrt(np.mean((centred / unit) ** 2, axis=0))


def _check_magnitudes(X, y, names):
    """A ValueError when X or y are on scales whose squares float64 cannot hold."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        sd_x = _spread(X)
        sd_y = float(_spread(y[:, None])[0])
        ratios = sd_y / np.where(sd_x > 0, sd_x, 1.0) if sd_y > 0 else np.ones_like(sd_x)
    lo, hi = 1.0 / MAGNITUDE_LIMIT, MAGNITUDE_LIMIT
    bad_x = [n for n, s in zip(names, sd_x) if s > 0 and not lo <= s <= hi]
    bad_ratio = [n for n, r in zip(names, ratios) if not lo <= r <= hi]
    fix = (
        " The prior-scale views square X and the prior scales (about sd(y)/sd(x)) in float64, "
        f"which over- or underflows for spreads beyond {lo:g} to {hi:g}. Rescale: "
        "standardise the columns of X (e.g. (X - X.mean()) / X.std()) and/or express y in "
        "other units."
    )
    if bad_x:
        spread = ", ".join(f"{s:.3g}" for s in sd_x[[names.index(n) for n in bad_x]][:5])
        raise ValueError(
            f"X's column(s) {bad_x[:5]} have standard deviation(s) {spread}, out of range."
            + fix
        )
    if sd_y > 0 and not lo <= sd_y <= hi:
        raise ValueError(f"y has standard deviation {sd_y:.3g}, out of range." + fix)
    if bad_ratio:
        raise ValueError(
            f"sd(y) / sd(x) is out of range for column(s) {bad_ratio[:5]} (sd(y) = "
            f"{sd_y:.3g})." + fix
        )


def _check_l1_ratio(l1_ratio):
    """``l1_ratio`` as a float in [0, 1], or a ValueError naming the problem and the fix."""
    try:
        value = float(l1_ratio)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(l1_ratio, bool) or not 0.0 <= value <= 1.0:  # NaN fails both comparisons
        raise ValueError(
            f"l1_ratio must be a number in [0, 1] (0: Normal/ridge, 1: Laplace/lasso), "
            f"got {l1_ratio!r}."
        )
    return value


def _scale_key(scale):
    return float(f"{float(scale):.6g}")


class ScaleExplorer:
    """The state of a Gaussian regression at any prior scale, with caches.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : {"normal", "laplace", "elasticnet"} or Prior, default="laplace"
        The prior family (a Prior's own scale is ignored; see :meth:`state`).
    sigma : float or None, default=None
        Fixed noise sd.  None: the MAP and the penalty use
        :func:`bayesreg.estimate_sigma`, and sampled posteriors learn sigma.
    l1_ratio : float, default=0.5
        The elastic net's mixing (used when the family is "elasticnet").
    scale_range : (float, float) or None
        Scales the path covers; None picks them from the data: from a tenth of
        the scale at which the lasso MAP is all zeros to 100 times the largest
        least-squares coefficient.
    n_path : int, default=60
        Number of scales on the MAP path grid.
    hdi_prob : float, default=0.94
    sampler, draws, tune, chains, random_seed
        Passed to :class:`bayesreg.PosteriorRegressor` by :meth:`sample`.
    posterior : PosteriorRegressor, optional
        A fitted posterior on the same data with a fixed-scale prior of a
        family the explorer offers: it seeds the cache of sampled posteriors.

    Notes
    -----
    :meth:`sample` may run in a background thread while :meth:`state` is
    called from another; the caches are guarded by a lock.
    """

    def __init__(
        self, X, y, prior="laplace", *, sigma=None, l1_ratio=0.5, scale_range=None, n_path=60,
        hdi_prob=0.94, sampler="auto", draws=500, tune=500, chains=2, random_seed=0,
        posterior=None,
    ):
        self.X, self.y, self.feature_names = _check_data(X, y)
        self.n_samples = self.X.shape[0]
        if sigma is not None:
            if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not sigma > 0:
                raise ValueError(f"sigma must be None or a positive number, got {sigma!r}.")
            self.sigma, self.sigma_fixed = float(sigma), True
        else:
            self.sigma, self.sigma_fixed = float(estimate_sigma(self.X, self.y)), False
        self.kind = prior_kind(prior)
        self.l1_ratio = _check_l1_ratio(l1_ratio)
        self.hdi_prob = hdi_prob
        self.sampler, self.draws, self.tune, self.chains = sampler, draws, tune, chains
        self.random_seed = random_seed
        self.scale_range = self._default_range() if scale_range is None else tuple(
            float(s) for s in scale_range
        )
        self.n_path = int(n_path)
        self._lock = threading.Lock()
        self._paths = {}  # family -> MAPPath
        self._states = {}  # (family, scale) -> state dict without the posterior
        self._sampled = {}  # family -> {scale: (draws, reff, diagnostics)}
        self._posteriors = {}  # (family, scale, source scale) -> posterior part of the state
        self._bands = {}  # (family, "exact" or sampled scales) -> PosteriorPath
        if posterior is not None:
            self.add_posterior(posterior)

    # ---------------------------------------------------------------- family
    @property
    def family(self):
        """Key of the current prior family: ("elasticnet", l1_ratio) or (kind, None)."""
        return (self.kind, self.l1_ratio if self.kind == "elasticnet" else None)

    def set_family(self, kind=None, l1_ratio=None):
        """Switch the prior family and/or the elastic net's ``l1_ratio``.

        Both are checked before either is changed: a bad value (an unknown
        family, an ``l1_ratio`` outside [0, 1] or NaN) raises a ValueError and
        leaves the explorer as it was.
        """
        new_kind = self.kind if kind is None else prior_kind(kind)
        new_l1_ratio = self.l1_ratio if l1_ratio is None else _check_l1_ratio(l1_ratio)
        self.kind, self.l1_ratio = new_kind, new_l1_ratio

    def prior_at(self, scale):
        """The prior of the current family at ``scale``."""
        return make_prior(self.kind, float(scale), self.l1_ratio)

    def _default_range(self):
        Xc = self.X - self.X.mean(axis=0)
        yc = self.y - self.y.mean()
        corr = np.max(np.abs(Xc.T @ yc))
        zero_scale = self.sigma**2 / corr if corr > 0 else 1.0
        ols = np.linalg.lstsq(Xc, yc, rcond=None)[0]
        big = np.max(np.abs(ols)) if np.any(ols) else 1.0
        # round outwards to half decades
        lo = 10 ** (math.floor(2 * math.log10(zero_scale / 10)) / 2)
        hi = 10 ** (math.ceil(2 * math.log10(100 * big)) / 2)
        return lo, max(hi, 100 * lo)

    # ---------------------------------------------------------------- MAP
    def path(self):
        """The MAP path of the current family over ``n_path`` log-spaced scales (cached)."""
        family = self.family
        with self._lock:
            cached = self._paths.get(family)
        if cached is None:
            lo, hi = self.scale_range
            scales = np.geomspace(lo, hi, self.n_path)
            cached = map_path(self.X, self.y, self.prior_at(1.0), scales, sigma=self.sigma)
            cached = _with_names(cached, self.feature_names)
            with self._lock:
                self._paths[family] = cached
        return cached

    def map_state(self, scale):
        """Scale, prior, penalty readout and MAP at ``scale`` (cached): the fast part."""
        scale = _scale_key(scale)
        key = (self.family, scale)
        with self._lock:
            cached = self._states.get(key)
        if cached is not None:
            return dict(cached)
        prior = self.prior_at(scale)
        readout = penalty_readout(
            prior, n_samples=self.n_samples, sigma=self.sigma, y_sd=float(np.std(self.y))
        )
        fit = MAPRegressor(prior, sigma=self.sigma).fit(self.X, self.y)
        state = {
            "scale": scale,
            "prior": prior,
            "prior_kind": self.kind,
            "l1_ratio": self.l1_ratio if self.kind == "elasticnet" else None,
            "sigma": self.sigma,
            "sigma_fixed": self.sigma_fixed,
            "n_samples": self.n_samples,
            "estimator": readout["sklearn"]["estimator"],
            "alpha": readout["sklearn"]["alpha"],
            "glmnet_lambda": readout["glmnet"]["lambda"],
            "logistic_C": readout["logistic"]["C"],
            "penalties": {k: readout[k] for k in ("sklearn", "glmnet", "logistic")},
            "formulas": readout["formulas"],
            "map_coef": fit.coef_,
            "map_intercept": fit.intercept_,
        }
        with self._lock:
            self._states[key] = state
        return dict(state)

    # ---------------------------------------------------------------- posterior
    @property
    def has_exact(self):
        """True when the posterior has a closed form: Normal prior and a fixed sigma."""
        return self.kind == "normal" and self.sigma_fixed

    def sampled_scales(self):
        """Scales of the current family with a sampled posterior, sorted."""
        with self._lock:
            return sorted(self._sampled.get(self.family, {}))

    def _nearest_sampled(self, scale):
        scales = self.sampled_scales()
        if not scales:
            return None
        return min(scales, key=lambda s: abs(math.log(s) - math.log(scale)))

    def posterior_state(self, scale, map_coef=None):
        """The posterior part of the state at ``scale`` (cached per scale and source).

        Returns
        -------
        dict
            ``posterior`` (DataFrame in compare's column layout, or None),
            ``posterior_source`` ("exact", "sampled", "reweighted" or None),
            ``source_scale``, ``khat``, ``ess``, ``reliable`` and a
            ``posterior_note`` in words.
        """
        scale = _scale_key(scale)
        if map_coef is None:
            map_coef = self.map_state(scale)["map_coef"]
        if self.has_exact:
            source = scale
        else:
            source = self._nearest_sampled(scale)
        key = (self.family, scale, source)
        with self._lock:
            cached = self._posteriors.get(key)
        if cached is not None:
            return dict(cached)
        if self.has_exact:
            result = self._exact(scale, map_coef)
        elif source is None:
            result = {
                "posterior": None, "posterior_source": None, "source_scale": None,
                "khat": None, "ess": None, "reliable": None,
                "posterior_note": "No posterior sampled yet for this prior: press Sample.",
            }
        else:
            result = self._from_sampled(scale, source, map_coef)
        with self._lock:
            self._posteriors[key] = result
        return dict(result)

    def _exact_summary(self, scale):
        """Mean, sd and HDI bounds of the conjugate posterior at ``scale``.

        The marginals are Normal, so the HDI is the central interval
        ``mean -/+ z sd`` with ``z`` the ``(1 + hdi_prob)/2`` quantile.
        """
        mean, chol, _, _ = conjugate_posterior(self.X, self.y, scale, self.sigma)
        inv_chol = np.linalg.inv(chol)
        sd = np.sqrt(np.sum(inv_chol**2, axis=0))  # diag of (L L^T)^-1 = L^-T L^-1
        half = stats.norm.ppf(0.5 + self.hdi_prob / 2) * sd
        return mean, sd, mean - half, mean + half

    def _exact(self, scale, map_coef):
        mean, sd, low, high = self._exact_summary(scale)
        table = pd.DataFrame(
            {"map": map_coef, "mean": mean, "median": mean, "sd": sd,
             "hdi_low": low, "hdi_high": high},
            index=pd.Index(self.feature_names, name="feature"),
        )
        return {
            "posterior": table, "posterior_source": "exact", "source_scale": scale,
            "khat": None, "ess": None, "reliable": True,
            "posterior_note": "Exact posterior (Normal prior, fixed sigma): closed form.",
        }

    def _from_sampled(self, scale, source, map_coef):
        with self._lock:
            draws, reff, _ = self._sampled[self.family][source]
        if source == scale:
            table = weighted_summary(
                draws, map_coef=map_coef, feature_names=self.feature_names, hdi_prob=self.hdi_prob
            )
            return {
                "posterior": table, "posterior_source": "sampled", "source_scale": source,
                "khat": None, "ess": None, "reliable": True,
                "posterior_note": f"Sampled posterior at this scale ({len(draws)} draws).",
            }
        rw = psis_reweight(draws, self.prior_at(source), self.prior_at(scale), reff=reff)
        table = weighted_summary(
            draws, rw.weights, map_coef=map_coef, feature_names=self.feature_names,
            hdi_prob=self.hdi_prob,
        )
        if rw.reliable:
            note = (
                f"Preview: the posterior sampled at scale {_fmt(source)} reweighted by PSIS; "
                f"Pareto k = {rw.khat:.2f} <= {KHAT_THRESHOLD} (reliable)."
            )
        else:
            note = (
                f"Unreliable preview: Pareto k = {rw.khat:.2f} > {KHAT_THRESHOLD} reweighting "
                f"the posterior sampled at scale {_fmt(source)}; press Sample for this scale."
            )
        return {
            "posterior": table, "posterior_source": "reweighted", "source_scale": source,
            "khat": rw.khat, "ess": rw.ess, "reliable": rw.reliable, "posterior_note": note,
        }

    def posterior_band(self):
        """The posterior HDI of every coefficient along the path, where it is known (cached).

        * Normal prior with a fixed sigma: the exact conjugate posterior at
          every scale of :meth:`path`'s grid (``sampler == "exact"``);
        * otherwise: the posteriors sampled so far for the current family, at
          their own scales (``sampler == "sampled"``); reweighted previews are
          not included.

        Returns
        -------
        bayesreg.PosteriorPath or None
            Mean, median, sd and the ``hdi_prob`` HDI bounds per scale and
            feature; None when the current family has no posterior yet.
        """
        family = self.family
        key = (family, "exact") if self.has_exact else (family, tuple(self.sampled_scales()))
        if not key[1]:
            return None
        with self._lock:
            cached = self._bands.get(key)
        if cached is not None:
            return cached
        if self.has_exact:
            scales = np.asarray(self.path().scales, dtype=float)
            rows = [self._exact_summary(s) for s in scales]
            mean, sd, low, high = (np.array(column) for column in zip(*rows))
            median, sampler = mean, "exact"
        else:
            scales = np.array(key[1], dtype=float)
            with self._lock:
                sampled = [self._sampled[family][s][0] for s in key[1]]
            tables = [weighted_summary(d, hdi_prob=self.hdi_prob) for d in sampled]
            mean, median, sd, low, high = (
                np.array([t[c].to_numpy() for t in tables])
                for c in ("mean", "median", "sd", "hdi_low", "hdi_high")
            )
            sampler = "sampled"
        band = PosteriorPath(
            scales=scales, mean=mean, median=median, sd=sd, hdi_low=low, hdi_high=high,
            hdi_prob=float(self.hdi_prob), feature_names=list(self.feature_names),
            prior=self.prior_at(scales[0]), sigma=self.sigma if self.sigma_fixed else None,
            sampler=sampler,
        )
        with self._lock:
            self._bands[key] = band
        return band

    def state(self, scale):
        """Everything at ``scale``: :meth:`map_state` merged with :meth:`posterior_state`."""
        state = self.map_state(scale)
        state.update(self.posterior_state(scale, state["map_coef"]))
        return state

    def sample(self, scale):
        """Sample the posterior of the current family at ``scale`` and cache its draws.

        Returns
        -------
        list of str
            Warning messages from the sampler (empty when all is well).
        """
        return self.sample_prior(self.prior_at(scale))

    def sample_prior(self, prior):
        """Sample the posterior under the fixed-scale ``prior`` and cache its draws.

        Runs :class:`bayesreg.PosteriorRegressor` (its compiled model is cached
        per process and per family, so later scales only swap a shared value).
        Sampling problems (divergences, R-hat) are returned, not raised.

        Returns
        -------
        list of str
            Warning messages from the sampler (empty when all is well).
        """
        model = PosteriorRegressor(
            prior, sigma=self.sigma if self.sigma_fixed else None,
            sampler=self.sampler, draws=self.draws, tune=self.tune, chains=self.chains,
            random_seed=self.random_seed, progressbar=False,
        )
        # named columns: the feature names are part of the compiled model's cache key
        X = pd.DataFrame(self.X, columns=self.feature_names)
        with recording_warnings() as caught:
            model.fit(X, self.y)
        self.add_posterior(model)
        return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]

    def add_posterior(self, posterior):
        """Cache the draws of a fitted PosteriorRegressor (same data) as a sampled scale."""
        prior = getattr(posterior, "prior", None)
        coef = getattr(posterior, "idata_", None)
        if coef is None or not isinstance(prior, Prior) or prior.is_hierarchical:
            raise ValueError(
                "posterior must be a fitted PosteriorRegressor with a fixed-scale prior."
            )
        if posterior.n_features_in_ != self.X.shape[1]:
            raise ValueError(
                f"posterior was fitted on {posterior.n_features_in_} features; the explorer "
                f"has {self.X.shape[1]}."
            )
        expected_sigma = self.sigma if self.sigma_fixed else None
        if not posterior.fit_intercept or posterior.sigma != expected_sigma:
            raise ValueError(
                f"posterior was fitted with fit_intercept={posterior.fit_intercept}, "
                f"sigma={posterior.sigma!r}; the explorer's model has fit_intercept=True, "
                f"sigma={expected_sigma!r}. Fit it with those settings."
            )
        same_data = (
            np.array_equal(posterior.idata_.constant_data["X"].values, self.X)
            and np.array_equal(posterior.idata_.observed_data["y"].values, self.y)
        )
        if not same_data:
            raise ValueError("posterior was fitted on other data than the explorer's X and y.")
        kind = type(prior).__name__.lower()
        if kind not in PRIOR_KINDS:
            raise ValueError(f"the explorer has no {type(prior).__name__} family.")
        family = (kind, prior.l1_ratio if kind == "elasticnet" else None)
        self._store(family, _scale_key(prior.scale), posterior)

    def _store(self, family, scale, model):
        import arviz as az

        draws = model.idata_.posterior["coef"].values
        n = draws.shape[0] * draws.shape[1]
        ess = az.ess(model.idata_, var_names=["coef"])["coef"].values
        reff = float(np.clip(np.median(ess) / n, 0.05, 1.0))
        with self._lock:
            self._sampled.setdefault(family, {})[scale] = (
                draws.reshape(n, -1), reff, getattr(model, "diagnostics_", {}),
            )
            # previews of this family may now have a nearer source
            self._posteriors = {k: v for k, v in self._posteriors.items() if k[0] != family}


def _with_names(path, names):
    import dataclasses

    return dataclasses.replace(path, feature_names=list(names))
