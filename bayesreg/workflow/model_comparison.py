r"""Which prior predicts best? LOO (or WAIC) comparison of posteriors fitted on the same data.

:func:`compare_models` asks each fitted posterior estimator for its pointwise
log-likelihood (:meth:`~bayesreg.PosteriorRegressor.compute_log_likelihood`,
computed from the stored draws and training data, never by refitting), scores
each with ArviZ's PSIS-LOO (``arviz.loo``) or WAIC, and ranks them with
``arviz.compare``: the expected log pointwise predictive density of a new
observation, :math:`\widehat{\mathrm{elpd}}_{\mathrm{loo}} = \sum_i \log p(y_i \mid y_{-i})`,
higher is better, with the standard error of each difference to the best model.

PSIS-LOO is an approximation whose reliability each observation reports by its
Pareto :math:`\hat k` (Vehtari, Gelman and Gabry 2017, *Statistics and Computing*
27, 1413-1432): above 0.7 (ArviZ's ``good_k``, lower with fewer than 2200
draws) the estimate for that row is unreliable.  ArviZ's
warnings about it are passed on to the user, with the model's name added, and
the table keeps ArviZ's ``warning`` column; they are never silenced here.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import arviz as az
import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

__all__ = ["ModelComparison", "compare_models"]

_CRITERIA = {"loo": az.loo, "waic": az.waic}
_ARVIZ_PANDAS_NOTICE = r"The inplace keyword in DataFrame\.sort_values is deprecated"


@contextmanager
def _without_arviz_pandas_notice():
    """Hide one notice: arviz 0.23's compare and plot_compare call
    ``DataFrame.sort_values(inplace=True)``, which pandas 3.1 deprecates. It is about
    ArviZ's code, not the user's models; every other warning still shows."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_ARVIZ_PANDAS_NOTICE)
        yield


@dataclass(frozen=True)
class ModelComparison:
    """The result of :func:`compare_models`.

    Attributes
    ----------
    table : pandas.DataFrame
        ``arviz.compare``'s table, best model first: ``rank``, ``elpd_loo``
        (or ``elpd_waic``), ``p_loo`` (effective number of parameters),
        ``elpd_diff`` (to the best), ``weight`` (stacking), ``se``, ``dse``
        (standard error of the difference), ``warning`` (True when the
        estimate is unreliable) and ``scale``.
    ic : str
        ``"loo"`` or ``"waic"``.
    elpd : dict of str to arviz.ELPDData
        Each model's pointwise estimate (``elpd[name].pareto_k`` for LOO).
    models : dict of str to estimator
        The fitted models compared, by name.
    """

    table: pd.DataFrame
    ic: str
    elpd: dict
    models: dict

    @property
    def ranking(self):
        """Model names from the best predictive accuracy to the worst."""
        return list(self.table.index)

    @property
    def pareto_k(self):
        """Per model: the largest Pareto k and how many rows exceed ArviZ's threshold (LOO only).

        Returns
        -------
        pandas.DataFrame
            Index: model names (table order); columns ``max_k``, ``n_bad``
            (rows with :math:`\\hat k` above ``good_k``, usually 0.7), ``good_k``.
        """
        if self.ic != "loo":
            raise ValueError(f"pareto_k exists for ic='loo' only; this comparison used ic={self.ic!r}.")
        rows = {}
        for name in self.table.index:
            elpd = self.elpd[name]
            k = np.asarray(elpd.pareto_k)
            good_k = float(getattr(elpd, "good_k", 0.7))
            rows[name] = {"max_k": float(k.max()), "n_bad": int((k > good_k).sum()), "good_k": good_k}
        return pd.DataFrame.from_dict(rows, orient="index")

    def plot(self, ax=None, **kwargs):
        """ArviZ's comparison plot (``arviz.plot_compare``) of :attr:`table`.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
        **kwargs
            Passed to ``arviz.plot_compare``.

        Returns
        -------
        matplotlib.axes.Axes
        """
        kwargs.setdefault("insample_dev", False)  # the in-sample deviance is not what is compared
        with _without_arviz_pandas_notice():
            return az.plot_compare(self.table.copy(), ax=ax, **kwargs)


def compare_models(models, *, ic="loo", method="stacking"):
    """Rank fitted posterior estimators by their estimated out-of-sample predictive accuracy.

    Parameters
    ----------
    models : dict of str to fitted PosteriorRegressor or PosteriorClassifier
        At least two posteriors fitted on the same ``y`` (the predictors may
        differ: comparing feature sets is a fair question too), e.g.
        ``{"ridge": p1, "lasso": p2, "horseshoe": p3}``.  Those fitted
        without ``log_likelihood=True`` get it from
        ``compute_log_likelihood()`` (added to their ``idata_``; no refit).
    ic : {"loo", "waic"}, default="loo"
        PSIS leave-one-out cross-validation (``arviz.loo``), or WAIC.
    method : {"stacking", "BB-pseudo-BMA", "pseudo-BMA"}, default="stacking"
        How ``arviz.compare`` computes the model weights.

    Returns
    -------
    ModelComparison
        ``.table`` (``arviz.compare``'s DataFrame, best first), ``.plot(ax=None)``,
        ``.ranking``, ``.pareto_k``.

    Raises
    ------
    TypeError
        If ``models`` is not a dict, or one of them is a MAP estimator (or any
        object without posterior draws).
    sklearn.exceptions.NotFittedError
        If a model is not fitted.
    ValueError
        If fewer than two models are given, ``ic`` is unknown, the models mix
        regression and classification, or they were fitted on different ``y``.

    Warns
    -----
    UserWarning
        ArviZ's warnings (a Pareto :math:`\\hat k` above ``good_k``, WAIC's variance
        warning), each re-issued with the name of the model it is about.
    """
    criterion = _check_ic(ic)
    models = _check_models(models)
    _check_same_kind(models)
    _check_same_y(models)
    elpd = {}
    for name, model in models.items():  # a loop, not a comprehension: warnings' stacklevel
        elpd[name] = _elpd(name, model, criterion)
    with _without_arviz_pandas_notice():
        table = az.compare(elpd, ic=ic, method=method)
    return ModelComparison(table, ic, elpd, models)


# ---------------------------------------------------------------- checks
def _check_ic(ic):
    try:
        return _CRITERIA[ic]
    except (KeyError, TypeError):
        raise ValueError(f"compare_models: ic must be one of {sorted(_CRITERIA)}, got {ic!r}.") from None


def _check_models(models):
    if not isinstance(models, dict):
        raise TypeError(
            "compare_models: pass a dict of names to fitted posterior estimators, e.g. "
            f"{{'ridge': p1, 'lasso': p2}}; got {type(models).__name__}."
        )
    if len(models) < 2:
        raise ValueError(f"compare_models: give at least two models to compare, got {len(models)}.")
    for name, model in models.items():
        if not callable(getattr(model, "compute_log_likelihood", None)):
            raise TypeError(
                f"compare_models: {name!r} is a {type(model).__name__}, which has no posterior "
                "draws (a MAP estimate is a single point, so it has no LOO). Fit the same prior "
                "with PosteriorRegressor / PosteriorClassifier (or from_formula(..., "
                "estimator='posterior')) and compare those."
            )
        check_is_fitted(model)
    return {str(name): model for name, model in models.items()}


def _check_same_kind(models):
    kinds = {name: is_classifier(model) for name, model in models.items()}
    if len(set(kinds.values())) > 1:
        classifiers = sorted(name for name, c in kinds.items() if c)
        raise ValueError(
            f"compare_models: {classifiers} are classifiers and the others regressors; their "
            "log-likelihoods (probabilities vs densities) are not comparable. Compare models "
            "of one likelihood."
        )


def _check_same_y(models):
    """LOO compares predictions of the same observations: refuse models fitted on different y."""
    names = list(models)
    for name, model in models.items():
        if "observed_data" not in model.idata_.groups():
            raise ValueError(
                f"compare_models: {name!r} was fitted on SufficientStatistics; LOO needs the "
                "log-likelihood of every row. Refit it on X, y."
            )
    reference = np.asarray(models[names[0]].idata_.observed_data["y"].values)
    for name in names[1:]:
        y = np.asarray(models[name].idata_.observed_data["y"].values)
        if y.shape != reference.shape or not np.array_equal(y, reference):
            what = (f"{y.shape[0]} rows vs {reference.shape[0]}" if y.shape != reference.shape
                    else f"{int(np.sum(y != reference))} of {y.size} values differ")
            raise ValueError(
                f"compare_models: {name!r} was fitted on a different y than {names[0]!r} ({what}); "
                "LOO compares predictions of the same observations. Fit every model on the "
                "same rows and response."
            )


def _elpd(name, model, criterion):
    """The model's pointwise ELPD; ArviZ's warnings re-issued with the model's name."""
    idata = model.compute_log_likelihood()  # from the stored draws and data: no refit
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        elpd = criterion(idata, pointwise=True)
    for warning in caught:
        if issubclass(warning.category, (DeprecationWarning, FutureWarning)):
            # ArviZ's notices about its own API: passed on unchanged, still from arviz
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno, module="arviz",
            )
        else:  # about this model's estimate: say which model, at the caller's line
            warnings.warn(f"compare_models: model {name!r}: {warning.message}",
                          warning.category, stacklevel=3)
    return elpd
