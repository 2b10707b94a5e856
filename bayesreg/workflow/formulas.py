r"""Fit an estimator from a Wilkinson formula on a DataFrame (``y ~ x1 + x2 + C(group)``).

:func:`from_formula` turns a formula and a table into the design matrix with
`formulaic <https://matthewwardrop.github.io/formulaic/>`_, the formula library
Bambi and statsmodels' successors build on, then fits one of the four
estimators on it, with nothing but their public ``fit``.  The design keeps
formulaic's column names (``x1``, ``C(group)[T.b]``), so they become the
estimator's ``feature_names_in_``, the ``feature`` coordinate of ``idata_``,
the rows of :func:`bayesreg.compare` and the labels of the plots.

Three conventions, those of R, statsmodels and Bambi:

* the intercept is the formula's: ``y ~ x`` has one, ``y ~ x - 1`` and
  ``y ~ x + 0`` have none.  It is never in the design matrix: formulaic's
  ``Intercept`` column is dropped and the estimator's own unpenalized
  intercept is switched on or off instead (``fit_intercept``), so it is neither
  fitted twice nor penalized by the prior;
* categorical columns (strings, pandas categoricals, ``C(...)``) are
  dummy-coded against their first level (reference coding) when there is an
  intercept; without one, formulaic keeps a column per level, so the model
  stays the same model, only parametrised by the level means;
* rows with a missing value are refused, not dropped: the user decides.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..map import MAPClassifier, MAPRegressor
from ..model.likelihoods import get_likelihood
from ..posterior import PosteriorClassifier, PosteriorRegressor

__all__ = ["ESTIMATORS", "FormulaDesign", "from_formula"]

#: The estimator classes by ``estimator=`` name: (regressor, classifier).
ESTIMATORS = {
    "map": (MAPRegressor, MAPClassifier),
    "posterior": (PosteriorRegressor, PosteriorClassifier),
}

_INTERCEPT_TERM = "1"  # how formulaic writes the intercept term of a formula


def _formulaic():
    """The formulaic package, or an error that says how to install it."""
    try:
        import formulaic
    except ImportError:  # pragma: no cover - a dependency of bayesreg
        raise ImportError(
            "from_formula needs the formula library formulaic: pip install formulaic"
        ) from None
    return formulaic


@dataclass(frozen=True)
class FormulaDesign:
    """How a formula turns a table into the design matrix an estimator was fitted on.

    Kept on the fitted estimator as ``formula_``; use it to build the design
    of new data with the same columns, levels and transforms (the levels and
    any ``center(x)``/``scale(x)`` statistics are those of the training data)::

        model = br.from_formula("y ~ x + C(group)", train, prior=br.Normal(1.0))
        model.predict(model.formula_.transform(test))

    Attributes
    ----------
    formula : str
        The formula as given.
    response : str
        The response as written on its left-hand side (``"y"``).
    feature_names : tuple of str
        The design's columns, in order: the estimator's ``feature_names_in_``.
    fit_intercept : bool
        Whether the formula has an intercept (then fitted, unpenalized, by
        the estimator itself, not as a column).
    model_spec : formulaic.ModelSpec
        formulaic's description of the right-hand side, fixed at fit time.
    """

    formula: str
    response: str
    feature_names: tuple
    fit_intercept: bool
    model_spec: object

    def transform(self, data):
        """The design matrix of ``data``: a DataFrame with columns :attr:`feature_names`.

        Parameters
        ----------
        data : pandas.DataFrame or mapping of columns
            New rows with the columns the formula's right-hand side uses (the
            response is not needed).

        Returns
        -------
        pandas.DataFrame of shape (n_rows, len(feature_names))

        Raises
        ------
        ValueError
            If a column is missing or a value is missing.
        """
        data = _check_data(data, "FormulaDesign.transform")
        matrix = _materialize(
            lambda: self.model_spec.get_model_matrix(data, na_action="raise"),
            self.formula, data, "FormulaDesign.transform",
        )
        return _design_frame(matrix, self.feature_names)


def from_formula(formula, data, *, prior, estimator="map", likelihood="gaussian", **kwargs):
    r"""Fit a bayesreg estimator from a formula such as ``"y ~ x1 + x2 + C(group)"``.

    Parameters
    ----------
    formula : str
        A Wilkinson formula with a response, in formulaic's syntax (that of R
        and Patsy): ``+`` adds a term, ``C(g)`` or a string column makes
        dummies, ``a:b`` an interaction, ``np.log(x)`` a transform,
        ``- 1`` or ``+ 0`` removes the intercept.
    data : pandas.DataFrame (or a mapping of column names to arrays)
    prior : Prior
        The prior of every coefficient of the design (``Normal``, ``Laplace``...).
    estimator : {"map", "posterior"}, default="map"
        The penalized point estimate (:class:`~bayesreg.MAPRegressor`,
        :class:`~bayesreg.MAPClassifier`) or the full posterior
        (:class:`~bayesreg.PosteriorRegressor`, :class:`~bayesreg.PosteriorClassifier`).
    likelihood : str or Likelihood, default="gaussian"
        ``"gaussian"`` fits a regressor; ``"bernoulli"`` a classifier, whose
        response must take exactly two values (its labels become ``classes_``).
    **kwargs
        Passed to the estimator (``sigma=``, ``sampler=``, ``draws=``,
        ``random_seed=``...), except ``fit_intercept``, which the formula sets.

    Returns
    -------
    estimator
        The fitted estimator, with ``formula_``, a :class:`FormulaDesign`:
        ``model.predict(model.formula_.transform(new_data))`` predicts new rows.

    Raises
    ------
    ValueError
        If the formula has no response, names a column ``data`` lacks, has
        missing values in the columns it uses, has more than one response
        column, or a classifier's response does not take exactly two values;
        if ``estimator`` is unknown or ``fit_intercept`` is passed.

    Examples
    --------
    >>> import pandas as pd, bayesreg as br
    >>> data = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 5.8],
    ...                      "x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
    ...                      "group": ["a", "b", "a", "b", "a", "b"]})
    >>> model = br.from_formula("y ~ x + C(group)", data, prior=br.Normal(10.0), sigma=0.3)
    >>> list(model.feature_names_in_)
    ['x', 'C(group)[T.b]']
    """
    owner = "from_formula"
    classes = _estimator_classes(estimator)
    if "fit_intercept" in kwargs:
        raise ValueError(
            f"{owner}: the formula sets the intercept; drop fit_intercept= and write "
            "'y ~ x - 1' (or '+ 0') for a model without one."
        )
    likelihood = get_likelihood(likelihood)
    data = _check_data(data, owner)
    parsed = _parse(formula, owner)
    matrices = _materialize(
        lambda: _formulaic().model_matrix(parsed, data, na_action="raise"), formula, data, owner,
    )
    y, response = _response(parsed, matrices.lhs, data, formula)
    spec = matrices.rhs.model_spec
    has_intercept = any(str(term) == _INTERCEPT_TERM for term in spec.terms)
    features = tuple(
        name for term, columns in spec.term_indices.items() if str(term) != _INTERCEPT_TERM
        for name in np.asarray(spec.column_names)[columns]
    )
    X = _design_frame(matrices.rhs, features)

    is_classifier = _is_classification(likelihood)
    if is_classifier:
        _check_two_values(y, response, formula, likelihood)
    cls = classes[int(is_classifier)]
    if "likelihood" in inspect.signature(cls).parameters:  # estimators that take any family
        kwargs["likelihood"] = likelihood
    else:
        _check_estimator_family(cls, int(is_classifier), likelihood)
    model = cls(prior, fit_intercept=has_intercept, **kwargs).fit(X, y)
    model.formula_ = FormulaDesign(str(formula), response, features, has_intercept, spec)
    return model


# ---------------------------------------------------------------- helpers
def _estimator_classes(estimator):
    try:
        return ESTIMATORS[estimator]
    except (KeyError, TypeError):
        raise ValueError(
            f"from_formula: estimator must be one of {sorted(ESTIMATORS)}, got {estimator!r}."
        ) from None


def _is_classification(likelihood):
    """Whether the family models class labels: its target check returns the classes."""
    return likelihood.check_target(np.array([0.0, 1.0]), "from_formula")[1] is not None


def _check_estimator_family(cls, index, likelihood):
    """Refuse a family the chosen estimator cannot fit (rather than fit another one).

    An estimator without a ``likelihood=`` parameter fits one family: the one its
    posterior counterpart declares (``_likelihood``, a name or an object).
    """
    own = getattr(ESTIMATORS["posterior"][index], "_likelihood", None)
    if own is not None and get_likelihood(own) != likelihood:
        raise ValueError(
            f"from_formula: {cls.__name__} fits the {get_likelihood(own).label} likelihood "
            f"only, not {likelihood.label}; pass likelihood={get_likelihood(own).name!r} or an "
            "estimator that takes your likelihood."
        )


def _check_data(data, owner):
    if isinstance(data, pd.DataFrame):
        return data
    try:
        return pd.DataFrame(data)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{owner}: data must be a pandas DataFrame (or a dict of columns), got "
            f"{type(data).__name__}: {exc}"
        ) from None


def _parse(formula, owner):
    if not isinstance(formula, str):
        raise ValueError(f"{owner}: formula must be a string such as 'y ~ x1 + x2', got {formula!r}.")
    parsed = _formulaic().Formula(formula)
    if not hasattr(parsed, "lhs") or not len(parsed.lhs):
        raise ValueError(
            f"{owner}: the formula {formula!r} has no response. Put the column to model on "
            f"the left of '~', e.g. 'y {formula.strip()}' or 'y ~ x1 + x2'."
        )
    return parsed


def _materialize(build, formula, data, owner):
    """Run formulaic, turning a missing column or value into an error that says what to do."""
    errors = _formulaic().errors
    try:
        return build()
    except errors.FactorEvaluationError as exc:
        message = str(exc)
        variables = _formulaic().Formula(formula).required_variables
        missing = sorted(v for v in variables if v not in data.columns and f"`{v}`" in message)
        if missing:
            raise ValueError(
                f"{owner}: the formula {formula!r} uses column(s) {missing} that the data "
                f"lack; its columns are {list(map(str, data.columns))}. Fix the name in the "
                "formula or add the column."
            ) from exc
        raise ValueError(f"{owner}: formulaic could not evaluate {formula!r}: {message}") from exc
    except ValueError as exc:
        if "null values" in str(exc):
            raise ValueError(
                f"{owner}: {exc} Rows with missing values are not dropped silently; "
                "drop or impute them first, e.g. data.dropna(subset=[...])."
            ) from exc
        raise


def _design_frame(matrix, features):
    """The design as a float DataFrame with exactly the columns ``features``, in order."""
    frame = pd.DataFrame(np.asarray(matrix, dtype=float), columns=list(matrix.columns))
    return frame.loc[:, list(features)]


def _response(parsed, lhs, data, formula):
    """``(y, name)``: a bare column keeps its own values (and labels), an expression is evaluated."""
    name = str(parsed.lhs).strip()
    if name in data.columns:
        return np.asarray(data[name]), name
    if lhs.shape[1] != 1:
        raise ValueError(
            f"from_formula: the response of {formula!r} expands to {lhs.shape[1]} columns "
            f"{list(lhs.columns)}; it must be one column (a number, or for a classifier two "
            "labels: a bare column name keeps its labels)."
        )
    return np.asarray(lhs).ravel().astype(float), name


def _check_two_values(y, response, formula, likelihood):
    values = pd.unique(pd.Series(y))
    if values.size != 2:
        raise ValueError(
            f"from_formula: likelihood={likelihood.name!r} models a binary response, but "
            f"{response!r} in {formula!r} takes {values.size} distinct value(s): "
            f"{values.tolist()[:10]}. Use a column with exactly two labels, or make one, "
            "e.g. \"I(group == 'a') ~ x\"."
        )
