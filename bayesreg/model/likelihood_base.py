r"""The base class of likelihoods: what the rest of bayesreg asks of a family.

See :mod:`bayesreg.model.likelihoods` for the list of its methods and the
families; :class:`Likelihood` is importable from there too.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

__all__ = ["Likelihood"]


class Likelihood:
    """Base class of likelihoods of a linear predictor ``eta``."""

    __slots__ = ()

    #: The name users pass (``likelihood="gaussian"``), the registry key.
    name: ClassVar[str] = ""
    #: A short label for the widgets' controls and for tables.
    label: ClassVar[str] = ""
    #: Whether the family has a noise scale ``sigma`` (fixed by the user or learned).
    has_sigma: ClassVar[bool] = False
    #: The solver of :mod:`bayesreg.map` that finds the MAP ("least_squares", "logistic").
    map_route: ClassVar[str] = ""
    #: The Gibbs augmentation that makes the coefficients conditionally Gaussian:
    #: None (already Gaussian) or "polya_gamma".
    gibbs_augmentation: ClassVar[str | None] = None
    #: Whether the Gibbs sampler covers the family at all (False: NUTS only).
    has_gibbs_sampler: ClassVar[bool] = True
    #: Whether ``fit``/``predict`` take a known offset of eta (``exposure=``/``offset=``).
    accepts_offset: ClassVar[bool] = False
    #: Whether mean(eta) is eta (then E[mean] needs no draws x rows work).
    identity_link: ClassVar[bool] = False
    #: The likelihood whose Gibbs schemes of the priors serve this one too (None: its own
    #: name); e.g. "gaussian" for a scale mixture of normals, Gaussian given the mixing.
    gibbs_prior_schemes: ClassVar[str | None] = None
    #: Whether cross-validation folds keep the class proportions.
    stratified_folds: ClassVar[bool] = False
    #: Whether y is a class label (the classifiers' likelihoods) rather than a number
    #: (the regressors' ``likelihood=``).
    is_classification: ClassVar[bool] = False
    #: The scikit-learn name of the penalty strength a hierarchical model reports.
    penalty_name: ClassVar[str] = ""
    #: How the MAP estimates ``sigma=None`` (:func:`bayesreg.map.noise.estimate_sigma`):
    #: "least_squares" (the OLS / cross-validated-lasso residuals) or "least_absolute"
    #: (the median regression's residuals, through ``scale_from_absolute_residuals``).
    map_sigma_rule: ClassVar[str] = "least_squares"
    #: The sd of the linear predictor's noise on the scale of eta (for default scale
    #: grids); None means "the sd of y".
    latent_sd: ClassVar[float | None] = None

    def penalty_parameter(self, strength, n_samples, prior):
        """The scikit-learn penalty named :attr:`penalty_name` for a :class:`~bayesreg.model.mapping.PenaltyStrength`.

        Works on arrays of draws (a learned scale's penalty per draw) as on numbers.
        """
        return self.sklearn_penalty(prior, strength, n_samples)[self.penalty_name]

    def pointwise_loglik(self, y, eta, sigma=None):
        """Log likelihood of each observation; ``eta`` has shape (..., n)."""
        raise NotImplementedError

    #: Whether the data enter only through fixed-size sufficient statistics
    #: (:class:`~bayesreg.model.sufficient_statistics.SufficientStatistics`), so a fit
    #: can take those in place of the rows.
    has_sufficient_statistics: ClassVar[bool] = False

    def sufficient_statistics(self, X, y):
        """The sufficient statistics of rows ``X, y``, or a clear error where there are none."""
        raise ValueError(
            f"The {self.label} likelihood has no sufficient statistics of fixed size: its "
            "fits need the rows themselves. Pass X and y instead of SufficientStatistics."
        )

    #: Whether fits take Dask rows by repeated passes over them (the logistic likelihood:
    #: ``rows_summary``, ``newton_pass``, ``polya_gamma_pass``; see
    #: :mod:`bayesreg.model._logistic_passes`), where there are no fixed-size statistics.
    has_distributed_passes: ClassVar[bool] = False

    def dispersion(self, sigma):
        r"""The factor :math:`\phi` of the MAP objective in the libraries' form.

        The MAP minimises :math:`-\log L(w) + \mathrm{pen}(w)`; multiplied by
        :math:`\phi/n` it reads :math:`\mathrm{loss}(w)/n + (\phi/n)\,\mathrm{pen}(w)`
        with the loss scikit-learn and glmnet use.  Hence the penalty strength
        :math:`\lambda = (\phi/n)(a + b)` of every convention.
        """
        raise NotImplementedError

    def check_target(self, y, owner):
        """Return ``(y_model, classes)``: y as the float array the model uses and the labels (or None)."""
        raise NotImplementedError

    def mean(self, eta):
        """The expected value of y given the linear predictor (what ``predict`` reports)."""
        raise NotImplementedError

    def cv_loss(self, y, eta, sigma=None):
        """Mean loss of held-out observations (the cross-validation score, lower is better)."""
        raise NotImplementedError

    def pymc_observed(self, name, eta, observed, sigma, shape):
        """The observed variable of a PyMC model (call inside a ``pm.Model`` context)."""
        raise NotImplementedError

    def simulate(self, eta, sigma, rng):
        """Draws of y given the linear predictor ``eta`` (and ``sigma``, where the family has one)."""
        raise NotImplementedError

    def noise_variance(self, mean, sigma):
        """Var(y | eta) given the expected value ``mean`` of y and the noise scale ``sigma``.

        ``predict(return_std=True)`` needs its posterior mean.  For every family here it
        is linear in ``sigma**2`` and in ``mean``, so the estimators pass the posterior
        mean of y and the root mean square of the sigma draws, with no draws x rows array.
        """
        raise NotImplementedError

    # -- posterior predictive intervals (``predict_interval``) --
    #: What ``predict_interval`` gives an interval of: "y" (a new observation) or
    #: "mean" (the expected value of y, where the predictive of y is degenerate).
    interval_of: ClassVar[str] = "y"

    def predictive_draws(self, eta, sigma, rng):
        """Draws of a new y for every draw and row: ``eta`` (S, m), ``sigma`` (S,), scalar or None."""
        raise NotImplementedError

    def interval_draws(self, eta, sigma, rng):
        """The per-draw quantity whose equal-tailed interval ``predict_interval`` reports.

        A new y (:meth:`predictive_draws`) when :attr:`interval_of` is ``"y"``;
        the expected value :meth:`mean` when it is ``"mean"``.
        """
        if self.interval_of == "mean":
            return self.mean(eta)
        return self.predictive_draws(eta, sigma, rng)

    def sigma_for(self, sigma, owner):
        """``sigma`` if the family has one; None if it has none, and refuse a number then."""
        if self.has_sigma or sigma is None:
            return sigma
        raise ValueError(
            f"{owner}: sigma has no role in the {self.label} likelihood; leave it as None."
        )

    # -- the penalty in the libraries' conventions (see bayesreg.model.mapping) --
    #: The scikit-learn estimators whose penalty maps onto a prior for this likelihood.
    sklearn_estimators: ClassVar[tuple] = ()
    #: glmnet's ``family=`` for this likelihood ("" if glmnet has none).
    glmnet_family: ClassVar[str] = ""
    #: Whether glmnet standardises y for this family (then its L2 weight is divided by sd_n(y)).
    glmnet_standardizes_y: ClassVar[bool] = False

    def sklearn_penalty(self, prior, strength, n_samples):
        """``to_penalty``'s scikit-learn dict for ``prior`` from its :class:`PenaltyStrength`."""
        raise NotImplementedError

    def has_library_penalty(self, prior):
        """Whether ``to_penalty(prior, likelihood=self)`` has a scikit-learn counterpart."""
        return prior.is_convex and bool(self.sklearn_estimators)

    # -- parameters of the family learned with a prior, beside sigma (a Student-t's df) --
    @property
    def learned_parameters(self):
        """Names of the family's own parameters learned with a prior, e.g. ``("df",)``.

        Each is a posterior variable of that name in ``idata_`` and a fitted
        attribute ``<name>_`` of the MAP estimators; ``()`` for a family with
        none (every fixed family).
        """
        return ()

    def at(self, **values):
        """This likelihood with its learned parameters fixed at ``values``.

        Values are numbers, per-draw arrays of shape (S,) (then every method
        that takes ``eta`` of shape (S, m) uses draw s's value on row s) or
        PyMC tensors; without learned parameters, ``self``.
        """
        return self

    def conditional_mode(self, resid, sigma):
        """This likelihood with its learned parameters at their mode given residuals ``resid``.

        The mode of log likelihood plus log prior of those parameters at the
        noise scale ``sigma``: the MAP's update of them (``self`` when none).
        """
        return self

    def graph_key(self):
        """What of this likelihood fixes the PyMC graph: the compiled-model cache key.

        The likelihood itself by default; a learned parameter's prior numbers
        are ``pm.Data`` (:meth:`pymc_data`), so they stay out of the key.
        """
        return self

    def pymc_data(self):
        """The numbers of the PyMC model held in ``pm.Data`` (a learned parameter's prior)."""
        return {}

    def pymc_parameters(self, shared):
        """Create the PyMC variables of the learned parameters (inside a model context).

        ``shared`` holds the model's ``pm.Data`` by name (:meth:`pymc_data`
        among them); returns this likelihood with its parameters bound to
        those variables (:meth:`at`), whose :meth:`pymc_observed` then uses them.
        """
        return self

    def mean_noise_variance(self, mean, sigma):
        """The posterior mean of :meth:`noise_variance`: ``sigma`` per draw (S,), fixed, or None.

        Linear in ``sigma**2`` for a family whose other parameters are fixed,
        so it is ``noise_variance`` at the root mean square of the draws.
        """
        if sigma is not None and np.ndim(sigma):
            sigma = float(np.sqrt(np.mean(np.square(sigma))))
        return self.noise_variance(mean, sigma)


def _registry(discover=True):
    """Every likelihood class with a name, one object each, by name (from the subclasses)."""
    if discover:  # a family defined in any module of bayesreg.model
        from .registry import import_family_modules

        import_family_modules()
    found, todo = {}, list(Likelihood.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.name:
            found[cls.name] = cls()
        todo.extend(cls.__subclasses__())
    return found
