r"""The MAP estimate and the posterior of the same model, side by side.

:func:`compare` puts, for every coefficient, the penalized point estimate of a
:class:`~bayesreg.MAPRegressor` (or :class:`~bayesreg.MAPClassifier`) beside
the posterior of a :class:`~bayesreg.PosteriorRegressor` (or
:class:`~bayesreg.PosteriorClassifier`) fitted on the same data, and flags the
coefficients where the two disagree about "is this zero?" -- the point where
reading a penalty as a prior teaches most: the lasso sets a coefficient to
exactly zero although the posterior of the very same model keeps most of its
mass away from zero, or the MAP keeps a coefficient the posterior puts near zero.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import arviz as az
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from ..map import MAPClassifier, MAPRegressor
from ..map.solve import unpenalized_coef
from ..posterior import PosteriorClassifier, PosteriorRegressor
from ..posterior._ranking import (  # ROPE_STANDARDISED: still importable from here
    RANKING_COLUMNS,
    ROPE_STANDARDISED,  # noqa: F401
    model_evidence_table,
    practical_zero_band,
)

__all__ = [
    "COLUMNS",
    "FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO",
    "FLAG_MAP_ZERO_POSTERIOR_AWAY",
    "Comparison",
    "compare",
    "default_practical_zero",
]

#: The columns of :attr:`Comparison.table`, in order.
COLUMNS = (
    "map", "mean", "median", "sd", "hdi_low", "hdi_high",
    "p_positive", "p_practical_zero", "shrinkage", "flag",
) + RANKING_COLUMNS
#: Flag: the MAP is exactly 0 but most posterior mass is outside the practical-zero band.
FLAG_MAP_ZERO_POSTERIOR_AWAY = "map zero, posterior away from zero"
#: Flag: the MAP is not 0 but most posterior mass is inside the practical-zero band.
FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO = "map nonzero, posterior near zero"

_PAIRS = {MAPRegressor: PosteriorRegressor, MAPClassifier: PosteriorClassifier}


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per feature (index: feature names), columns :data:`COLUMNS`
        (see :func:`compare` for their definitions); ``table.attrs["sampler"]``
        is the posterior model's ``sampler_``, the sampler that drew it.
    hdi_prob : float
    practical_zero : ndarray of shape (n_features,)
        The half-width of the practical-zero band of each coefficient.
    map_model, posterior_model
        The two fitted models compared.
    """

    table: pd.DataFrame
    hdi_prob: float
    practical_zero: np.ndarray
    map_model: object
    posterior_model: object

    @property
    def flagged(self):
        """The rows with a flag."""
        return self.table[self.table["flag"] != ""]

    def plot(self, ax=None, **kwargs):
        """Forest plot of the table: see :func:`bayesreg.plots.plot_forest`."""
        from ..plots.forest import plot_forest  # plots sit on top of compare

        return plot_forest(self, ax=ax, **kwargs)


def compare(map_model, posterior_model, *, hdi_prob=0.94, practical_zero=None):
    r"""Put a fitted MAP model and a fitted posterior of the same model side by side.

    Parameters
    ----------
    map_model : MAPRegressor or MAPClassifier, fitted
    posterior_model : PosteriorRegressor or PosteriorClassifier, fitted on the same data
    hdi_prob : real number in (0, 1), default=0.94
        Probability of the highest-density intervals (``arviz.hdi``); any
        real number, numpy scalars (``np.float32(0.9)``) included.
    practical_zero : float, array of shape (n_features,) or None, default=None
        Half-width :math:`\varepsilon_j` of the band :math:`|w_j| < \varepsilon_j`
        in which a coefficient counts as practically zero.  ``None`` uses
        :func:`default_practical_zero`: 0.1 standardised units, i.e.
        :math:`0.1\,\mathrm{sd}(y)/\mathrm{sd}(x_j)` for regression and
        :math:`0.1\cdot\pi/\sqrt3\,/\mathrm{sd}(x_j)` (about 0.18 on the
        log-odds per sd of :math:`x_j`) for classification: the "region of
        practical equivalence" of Kruschke (2018), *Advances in Methods and
        Practices in Psychological Science* 1(2), 270-280.

    Returns
    -------
    Comparison
        ``.table`` has one row per feature and the columns

        * ``map``: ``map_model.coef_``;
        * ``mean``, ``median``, ``sd``: of the posterior draws of ``coef``
          (``sd`` with ``ddof=1``);
        * ``hdi_low``, ``hdi_high``: ``arviz.hdi`` at ``hdi_prob``;
        * ``p_positive``: the fraction of draws with :math:`w_j > 0`;
        * ``p_practical_zero``: the fraction with :math:`|w_j| < \varepsilon_j`;
        * ``shrinkage``: :math:`1 - \bar w_j / \hat w_j^{\mathrm{ML}}`, how far
          the posterior mean is pulled from the unpenalized fit towards zero
          (0: not at all, 1: all the way).  :math:`\hat w^{\mathrm{ML}}` is
          least squares (regression) or the unpenalized logistic maximum
          likelihood (classification), on the same data with the same
          intercept treatment.  **NaN** where it does not exist: when
          :math:`n \le p` (+1 with an intercept), when X is rank deficient, and
          for classification when the classes are separable (no finite MLE);
        * ``flag``: :data:`FLAG_MAP_ZERO_POSTERIOR_AWAY` (``"map zero,
          posterior away from zero"``) when the MAP is exactly 0 while
          ``p_practical_zero < 0.5``; :data:`FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO`
          (``"map nonzero, posterior near zero"``) when the MAP is not 0 while
          ``p_practical_zero >= 0.5``; ``""`` otherwise;
        * ``p_sign``, ``p_outside_zero_band``, ``rank``: the features ranked by
          posterior evidence (``rank`` 1 = strongest; ``p_outside_zero_band`` is
          ``1 - p_practical_zero``), by the rule of
          :mod:`bayesreg.posterior._ranking`, the same columns as
          ``posterior_model.summary()``; a prior with inclusion indicators adds
          ``p_inclusion`` before them.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If either model is not fitted.
    TypeError
        If the models are not a MAP/posterior pair of the same likelihood.
    ValueError
        If ``hdi_prob`` is not in (0, 1); if ``practical_zero`` is not positive
        or is an array whose length is not the number of features.
        If they were fitted on different features or different data.  The
        posterior stores its training data (``idata_.constant_data.X``,
        ``idata_.observed_data.y``); the MAP model is refitted on them with its
        own settings and must reproduce its coefficients (the MAP solvers are
        deterministic), which fails for any other training set.

    Warns
    -----
    UserWarning
        When the two models differ in their prior, fixed noise scale or
        intercept treatment: the table is still computed (a MAP at a chosen
        scale beside a hierarchical posterior is a fair question), but the
        two are then not the MAP and posterior of one model.
    """
    _check_pair(map_model, posterior_model)
    hdi_prob = _check_hdi_prob(hdi_prob)
    X, y = _training_data(posterior_model)
    constants = posterior_model.idata_.constant_data
    offset = constants["offset"].values if "offset" in constants else None  # log exposure
    feature_names = [str(f) for f in posterior_model.idata_.posterior["feature"].values]
    _check_same_features(map_model, posterior_model, feature_names)
    _check_same_data(map_model, posterior_model, X, y, offset)
    _warn_if_models_differ(map_model, posterior_model)

    classifier = isinstance(map_model, MAPClassifier)
    p = X.shape[1]
    if practical_zero is None:
        # the outcome's sd on the scale of eta: sd(y), or the likelihood's latent one
        practical_zero = practical_zero_band(X, y, posterior_model._likelihood.latent_sd)
    practical_zero = _check_practical_zero(practical_zero, p)

    coef = posterior_model.idata_.posterior["coef"]
    draws = coef.values.reshape(-1, p)
    hdi = az.hdi(coef, hdi_prob=hdi_prob)["coef"].values  # (p, 2)
    mean = draws.mean(axis=0)
    p_zero = np.mean(np.abs(draws) < practical_zero, axis=0)
    map_coef = np.asarray(map_model.coef_, dtype=float)
    table = pd.DataFrame(
        {
            "map": map_coef,
            "mean": mean,
            "median": np.median(draws, axis=0),
            "sd": draws.std(axis=0, ddof=1) if draws.shape[0] > 1 else np.zeros(p),
            "hdi_low": hdi[:, 0],
            "hdi_high": hdi[:, 1],
            "p_positive": np.mean(draws > 0, axis=0),
            "p_practical_zero": p_zero,
            "shrinkage": 1.0 - mean / _unpenalized_coef(X, y, map_model.fit_intercept, classifier,
                                                        posterior_model._likelihood, offset),
            "flag": _flags(map_coef, p_zero),
        },
        index=pd.Index(feature_names, name="feature"),
    )
    evidence = model_evidence_table(posterior_model, practical_zero)
    table = table.join(evidence.set_axis(table.index))
    table.attrs["sampler"] = getattr(posterior_model, "sampler_", None)  # which sampler drew it
    return Comparison(table, hdi_prob, practical_zero, map_model, posterior_model)


def default_practical_zero(X, y, *, classifier=False):
    r"""The default half-width of the practical-zero band of each coefficient.

    A change of 0.1 standard deviations of the outcome per standard deviation
    of the feature (Kruschke's region of practical equivalence):
    :math:`\varepsilon_j = 0.1\,\mathrm{sd}(y)/\mathrm{sd}(x_j)`; for the
    Bernoulli-logit likelihood the outcome's sd is that of the standard
    logistic latent variable, :math:`\pi/\sqrt3`.  A constant feature gets the
    band of a unit-sd feature.
    """
    # the posterior layer computes it (summary() ranks by it too)
    return practical_zero_band(X, y, np.pi / np.sqrt(3.0) if classifier else None)


# ---------------------------------------------------------------------- checks
def _check_hdi_prob(hdi_prob):
    """``hdi_prob`` as a float in (0, 1): any real number (numpy scalars too), not a bool."""
    real = isinstance(hdi_prob, numbers.Real) and not isinstance(hdi_prob, bool | np.bool_)
    if not (real and 0 < float(hdi_prob) < 1):
        raise ValueError(
            f"compare: hdi_prob must be a number in (0, 1), e.g. 0.94, got {hdi_prob!r}."
        )
    return float(hdi_prob)


def _check_practical_zero(practical_zero, n_features):
    """One positive half-width per coefficient, from a number or an array of n_features."""
    try:
        values = np.asarray(practical_zero, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            "compare: practical_zero must be a positive number or an array of "
            f"{n_features} positive numbers (one per feature), got {practical_zero!r}."
        ) from None
    if values.ndim > 1 or (values.ndim == 1 and values.shape[0] != n_features):
        got = f"length {values.shape[0]}" if values.ndim == 1 else f"shape {values.shape}"
        raise ValueError(
            f"compare: practical_zero has {got}, but the models have {n_features} "
            f"features: give one number for all, or an array of length {n_features} (one "
            "half-width per feature, in the order of the model's features)."
        )
    values = np.broadcast_to(values, (n_features,)).copy()
    if not np.all(values > 0):  # also catches NaN
        raise ValueError(f"compare: practical_zero must be > 0, got {practical_zero!r}.")
    return values


def _check_pair(map_model, posterior_model):
    expected = _PAIRS.get(type(map_model))
    if expected is None:
        raise TypeError(
            "compare: map_model must be a MAPRegressor or MAPClassifier, got "
            f"{type(map_model).__name__}."
        )
    if not isinstance(posterior_model, expected):
        raise TypeError(
            f"compare: a {type(map_model).__name__} is compared with a {expected.__name__} "
            f"(same likelihood), got {type(posterior_model).__name__}."
        )
    for model, role in ((map_model, "map_model"), (posterior_model, "posterior_model")):
        try:
            check_is_fitted(model)
        except NotFittedError as exc:
            raise NotFittedError(
                f"compare: {role} ({type(model).__name__}) is not fitted; call "
                f"{role}.fit(X, y) first, on the same X and y for both models."
            ) from exc


def _training_data(posterior_model):
    idata = posterior_model.idata_
    if "X" not in idata.constant_data:
        raise ValueError(
            "compare: posterior_model was fitted on SufficientStatistics, but compare refits "
            "the MAP model on the posterior's rows and predicts on them. Fit both models on X, y."
        )
    X = np.asarray(idata.constant_data["X"].values, dtype=float)
    y = np.asarray(idata.observed_data["y"].values, dtype=float)
    return X, y


def _check_same_features(map_model, posterior_model, feature_names):
    if map_model.n_features_in_ != posterior_model.n_features_in_:
        raise ValueError(
            f"compare: the models were fitted on different features: map_model has "
            f"{map_model.n_features_in_}, posterior_model {posterior_model.n_features_in_}. "
            "Fit both on the same X."
        )
    names = [getattr(m, "feature_names_in_", None) for m in (map_model, posterior_model)]
    if (names[0] is None) != (names[1] is None) or (
        names[0] is not None and list(names[0]) != list(names[1])
    ):
        show = [None if n is None else list(n) for n in names]
        raise ValueError(
            f"compare: the models were fitted on different feature names: map_model "
            f"{show[0]}, posterior_model {show[1]}. Fit both on the same X (both as the "
            "same DataFrame, or both as arrays)."
        )


def _check_same_data(map_model, posterior_model, X, y, offset=None):
    """Refit the MAP on the posterior's training data; it must reproduce itself."""
    classifier = isinstance(map_model, MAPClassifier)
    if classifier:
        if not np.array_equal(map_model.classes_, posterior_model.classes_):
            raise ValueError(
                f"compare: the models were fitted on different labels: map_model.classes_ = "
                f"{map_model.classes_.tolist()}, posterior_model.classes_ = "
                f"{posterior_model.classes_.tolist()}. Fit both on the same y."
            )
        y = map_model.classes_[y.astype(int)]
    names = getattr(map_model, "feature_names_in_", None)
    X_fit = X if names is None else pd.DataFrame(X, columns=names)
    refit = clone(map_model).fit(X_fit, y, **({} if offset is None else {"offset": offset}))
    got = np.append(map_model.coef_, map_model.intercept_)
    want = np.append(refit.coef_, refit.intercept_)
    same = np.allclose(got, want, rtol=1e-6, atol=1e-9 * max(1.0, np.max(np.abs(want))))
    if not classifier and map_model.sigma_ is not None:  # None: the likelihood has no sigma
        same = same and np.isclose(map_model.sigma_, refit.sigma_, rtol=1e-9)
    if not same:
        raise ValueError(
            "compare: the models were fitted on different data: refitting map_model on "
            f"the posterior's training data (n_samples = {X.shape[0]}, stored in "
            "posterior_model.idata_) does not reproduce its coefficients. Fit both models "
            "on the same X and y."
        )


def _warn_if_models_differ(map_model, posterior_model):
    differences = []
    if map_model.prior != posterior_model.prior:
        differences.append(f"prior {map_model.prior!r} vs {posterior_model.prior!r}")
    if map_model.fit_intercept != posterior_model.fit_intercept:
        differences.append(
            f"fit_intercept {map_model.fit_intercept} vs {posterior_model.fit_intercept}"
        )
    if getattr(map_model, "standardize", False) != getattr(posterior_model, "standardize", False):
        differences.append(
            f"standardize {map_model.standardize} vs {posterior_model.standardize}"
        )
    if isinstance(map_model, MAPRegressor) and posterior_model.sigma is not None:
        if not np.isclose(map_model.sigma_, posterior_model.sigma, rtol=1e-9):
            differences.append(
                f"noise sd {map_model.sigma_:.6g} (MAP) vs fixed {posterior_model.sigma:.6g}"
            )
    if differences:
        warnings.warn(
            "compare: the MAP and the posterior are not of the same model ("
            + "; ".join(differences)
            + "). The table compares them anyway; for the MAP and posterior of one model "
            "give both the same prior (and sigma).",
            UserWarning,
            stacklevel=3,
        )


# ---------------------------------------------------------------------- columns
def _unpenalized_coef(X, y, fit_intercept, classifier, likelihood=None, offset=None):
    """Least squares / logistic / the likelihood's MLE, or NaN where it does not exist."""
    n, p = X.shape
    Xc = X - X.mean(axis=0) if fit_intercept else X
    if n <= p + int(bool(fit_intercept)) or np.linalg.matrix_rank(Xc) < p:
        return np.full(p, np.nan)
    if not classifier and likelihood is not None and not likelihood.identity_link:
        return unpenalized_coef(X, y, likelihood, fit_intercept, offset)
    if not classifier:
        yc = y - y.mean() if fit_intercept else y
        return np.linalg.lstsq(Xc, yc, rcond=None)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a separable problem does not converge: NaN below
        model = LogisticRegression(
            C=np.inf, l1_ratio=0.0, solver="newton-cholesky", fit_intercept=fit_intercept,
            max_iter=1000,
        ).fit(X, y.astype(int))
    coef = model.coef_[0]
    # separable classes: the likelihood increases without bound, the MLE does not exist
    eta = X @ coef + (model.intercept_[0] if fit_intercept else 0.0)
    separated = np.all((eta > 0) == (y > 0.5)) or not np.all(np.isfinite(coef))
    return np.full(p, np.nan) if separated else coef


def _flags(map_coef, p_practical_zero):
    flags = np.full(map_coef.shape, "", dtype=object)
    flags[(map_coef == 0) & (p_practical_zero < 0.5)] = FLAG_MAP_ZERO_POSTERIOR_AWAY
    flags[(map_coef != 0) & (p_practical_zero >= 0.5)] = FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO
    return flags
