"""What the posterior samplers ask a coefficient prior: the part of :class:`~.prior_base.Prior` they use.

Which samplers cover the prior (``sampler="auto"`` picks the first), the scale
mixture the Gibbs sampler updates, the NUTS target acceptance, the prior as a
variable of a PyMC model, and draws from the prior (simulation-based
calibration). :class:`~.prior_base.Prior` inherits these defaults; a family
overrides what differs. The density, penalty and proximal map (what the MAP
uses) stay in :mod:`.prior_base`.
"""

from __future__ import annotations

__all__ = ["NUTS_SAMPLERS", "PriorInSamplers"]

#: The NUTS samplers (on the PyMC model) cover every prior and likelihood; in
#: order of preference (nutpie compiles once and samples fastest).
NUTS_SAMPLERS = ("nutpie", "pymc", "numpyro")


class PriorInSamplers:
    """The sampler-facing defaults of a coefficient prior (mixed into :class:`~.prior_base.Prior`).

    Uses the prior's ``is_hierarchical``, ``scale``, ``scale_values``,
    ``has_per_feature_scale``, ``scale_by_sigma`` and ``with_scale``.
    """

    __slots__ = ()

    #: Likelihoods for which bayesreg's Gibbs sampler has a validated scheme for
    #: this family (a scale mixture of normals); see :meth:`gibbs_refusal`.
    _gibbs_likelihoods = ()

    def samplers(self, likelihood, sigma_fixed, gibbs_scheme=None):
        """The posterior samplers that cover this prior, best first.

        ``sampler="auto"`` runs the first of them (whose packages are
        installed):

        1. ``"exact"``: independent draws from the closed-form posterior, only
           where it is conjugate (:meth:`has_conjugate_posterior`);
        2. ``"gibbs"``: the exact full conditionals, where a validated scheme
           exists (:meth:`gibbs_refusal` is None): no compilation;
        3. the NUTS samplers :data:`NUTS_SAMPLERS` (``"nutpie"`` first), which
           cover every prior.

        Parameters
        ----------
        likelihood : {"gaussian", "bernoulli"}
            The likelihood's name.
        sigma_fixed : bool
            Whether the noise scale is fixed (Gaussian) rather than learned.
        gibbs_scheme : str, optional
            The likelihood whose Gibbs schemes serve this one
            (``Likelihood.gibbs_prior_schemes``, e.g. "gaussian" for the Student-t).

        Returns
        -------
        tuple of str
        """
        offered = ()
        if self.has_conjugate_posterior(likelihood, sigma_fixed):
            offered += ("exact",)
        if self.gibbs_refusal(gibbs_scheme or likelihood) is None and not (self.scale_by_sigma and gibbs_scheme):
            offered += ("gibbs",)
        return offered + NUTS_SAMPLERS

    def nuts_refusal(self):
        """Why the NUTS samplers (nutpie, pymc, numpyro) cannot sample this prior, or None if they can.

        The sentence completes ``"sampler='nutpie' ..."`` in an error message.
        """
        return None

    #: Which exact sampler draws the conjugate posterior (``bayesreg.posterior.exact``):
    #: "normal" (independent Normal coefficients) or "g_prior" (Zellner's g-prior).
    conjugate_scheme = "normal"
    #: Which Gibbs sampler samples this prior (``bayesreg.posterior.gibbs``):
    #: "scale_mixture" (a scale mixture of normals, :attr:`gibbs_mixture`) or
    #: "inclusion_indicators" (a spike-and-slab's collapsed indicator updates).
    gibbs_scheme = "scale_mixture"

    def has_conjugate_posterior(self, likelihood, sigma_fixed):
        """True where the posterior has a closed form (the ``"exact"`` sampler).

        Only the Normal prior with a fixed scale, the Gaussian likelihood and a
        fixed sigma: then the coefficients are jointly Gaussian a posteriori.
        """
        return False

    def gibbs_refusal(self, likelihood):
        """Why the Gibbs sampler does not cover this prior with ``likelihood``, or None if it does.

        The sentence completes ``"sampler='gibbs' ..."`` in an error message.
        """
        if likelihood in self._gibbs_likelihoods:
            return None
        if not self._gibbs_likelihoods:
            return (
                "covers the Normal, Laplace, ElasticNet, Horseshoe and HorseshoePlus priors (scale mixtures of normals); "
                f"got {self!r}."
            )
        return f"does not cover {self!r} with the {likelihood!r} likelihood."

    # -------------------------------------------------------- the prior in the Gibbs sampler
    #: The scale mixture of normals ``w_j | v_j ~ N(0, v_j)`` this prior is, named for
    #: the Gibbs sampler (bayesreg.posterior._mixtures): "common_variance" (every
    #: ``v_j`` is the squared scale), "exponential_variance" (``v_j ~ Exp``) or
    #: "half_cauchy_local" (``v_j = lambda_j^2 tau^2``); None if it is not one.
    gibbs_mixture = None

    @property
    def gibbs_scale_prior(self):
        """The hyperprior of the scale the Gibbs sampler learns, or None when the scale is fixed."""
        return self.scale if self.is_hierarchical else None

    # -------------------------------------------------------- the prior in a PyMC model
    #: NUTS target acceptance when the user gives none: funnel-shaped posteriors
    #: (learned scales) need smaller steps than a fixed-scale prior.
    nuts_target_accept_fixed = 0.8
    nuts_target_accept_learned = 0.95

    @property
    def nuts_target_accept(self):
        """The NUTS target acceptance this prior's posterior needs (0.8, 0.95 with a learned scale)."""
        return self.nuts_target_accept_learned if self.is_hierarchical else self.nuts_target_accept_fixed

    def penalty_weights_at(self, scale, data=None):
        """The :class:`PenaltyWeights` ``(l1, l2)`` at ``scale``: a number or a PyTensor variable.

        What :attr:`penalty_weights` gives at the prior's own fixed scale; a
        hierarchical model evaluates it at each draw of the learned scale.
        ``data`` (the model's ``pm.Data`` by name), where given, supplies the
        family's other numbers (``l1_ratio``), so one graph serves every value.
        """
        raise NotImplementedError

    def pymc_data(self):
        """The values of the ``pm.Data`` this prior needs in a PyMC model, by name.

        ``"prior_scale"`` for a fixed scale, the hyperprior's numbers for a learned
        one (``"hyperprior_scale"``, or ``"hyperprior_a"`` and ``"hyperprior_b"``
        for a Gamma or inverse gamma: :meth:`Hyperprior.pymc_data`), plus what a
        subclass adds, e.g. ``"l1_ratio"``. They are shared
        variables, so a refit at another scale reuses the compiled model.
        """
        if self.is_hierarchical:
            return self.scale.pymc_data("hyperprior")
        return {"prior_scale": self.scale_values if self.has_per_feature_scale else float(self.scale)}

    def create_variable(self, name, data, dims):
        """The coefficient variable in the current ``pm.Model`` (and the learned scale, if any).

        Only the structure of the prior is used here (its family, whether its
        scale is learned and by which hyperprior); every number comes from
        ``data``, the ``pm.Data`` variables named by :meth:`pymc_data`, so the
        same graph serves every scale.

        Parameters
        ----------
        name : str
            Name of the coefficient variable.
        data : dict
            The model's ``pm.Data`` variables by name (at least :meth:`pymc_data`'s).
        dims : str
            The coefficients' dimension.

        Returns
        -------
        coef, scale
            The coefficient variable and the scale variable (None for a fixed scale).
        """
        if self.is_hierarchical:
            scale = self.scale.create_scale_variable("scale", data, "hyperprior")
        else:
            scale = data["prior_scale"]
        # Centred even when the scale is learned: with the data sets this package is
        # for (n in the hundreds) the likelihood pins the coefficients down and the
        # centred form mixes far better (diabetes lasso: 0 divergences, ESS ~1000,
        # against 50-130 divergences non-centred at target_accept=0.8).
        coef_scale = scale * data["noise_scale"] if self.scale_by_sigma else scale  # sigma_scaling.NOISE_SCALE
        coef = self._coefficient_variable(name, coef_scale, data, dims)
        return coef, (scale if self.is_hierarchical else None)

    def _coefficient_variable(self, name, scale, data, dims):
        """The PyMC distribution of the coefficients at ``scale`` (a number or a variable)."""
        raise NotImplementedError


    # -------------------------------------------------------- draws from the prior
    def sample(self, rng, size=None):
        """Independent draws of one coefficient from this fixed-scale prior (``numpy`` Generator ``rng``)."""
        raise NotImplementedError

    def sample_prior(self, rng, n_features):
        """Coefficients drawn from the prior, with what the model learns beside them.

        Simulation-based calibration draws its true parameters here (``w / sigma`` if scaled by sigma).

        Returns
        -------
        coef : ndarray of shape (n_features,)
        hyperparameters : dict
            ``{"scale": s}`` when the scale is learned (its draw, used for
            ``coef``), else empty; the names are those of the posterior's variables.
        """
        if not self.is_hierarchical:
            return self.sample(rng, n_features), {}
        scale = float(self.scale.sample_scale(rng))
        return self.with_scale(scale).sample(rng, n_features), {"scale": scale}
