"""The explorer's state for a prior without a MAP: the posterior only.

The horseshoe-type priors and the spike-and-slab (the family says so:
``Prior.has_map`` False) have a density that is infinite at 0 (the
spike-and-slab: a point mass there), so no penalized objective has a finite
minimum: no MAP, no penalty in any library's convention, no MAP path.  The
explorer still shows their posterior along the scale slider (which moves the
prior's :attr:`~bayesreg.model.priors.Prior.control_scale`, the global scale
``tau_0`` of the horseshoe, the slab scale of the spike-and-slab): live where a Gibbs scheme covers the prior and the
likelihood, else sampled on request.  Here are the parts of its state that say
so, in words the readout shows.
"""

from __future__ import annotations

__all__ = ["no_map_sentence", "posterior_only_map_state", "sampled_elsewhere_part"]


def no_map_sentence(prior):
    """``"the horseshoe has no MAP: posterior only"`` (the family names itself)."""
    name = getattr(prior, "family_name", "") or "prior"
    return f"the {name} has no MAP: posterior only"


def posterior_only_map_state(prior, family, scale, likelihood, sigma, sigma_fixed, n_samples):
    """The state's MAP part for ``prior`` without a MAP: every MAP and penalty key None.

    The keys are those of a prior with a MAP (a view reads them all), so nothing
    of another family's MAP can be left behind; ``formulas`` is the one line
    saying why there is none.
    """
    formulas = [no_map_sentence(prior) + " (its density is infinite at 0, so no penalty has "
                "a finite minimum: no MAP and no lambda/alpha in any library)"]
    if prior.has_inclusion_indicators:  # the spike-and-slab: what the posterior shows instead
        formulas.append(f"the slider moves the slab scale s = {prior.control_scale:.4g}; the "
                        "posterior gives each feature's inclusion probability P(w_j != 0 | y)")
    return {
        "scale": scale, "prior": prior, "prior_kind": family[0],
        "likelihood": likelihood.name, "likelihood_label": likelihood.label,
        "l1_ratio": family[1], "sigma": sigma, "sigma_fixed": sigma_fixed,
        "n_samples": n_samples, "has_map": False,
        "estimator": None, "alpha": None, "glmnet_lambda": None, "logistic_C": None,
        "penalties": {"sklearn": None, "glmnet": None, "logistic": None},
        "formulas": formulas,
        "map_coef": None, "map_intercept": None,
    }


def sampled_elsewhere_part(sampled_scales):
    """The posterior part at a scale not sampled, for a prior that cannot be reweighted.

    Reweighting a posterior to another scale needs the joint prior density as a
    product over the coefficients (``Prior.independent_coefficients``); the
    global-local priors couple them through tau, so only sampled scales are shown.
    """
    where = ", ".join(f"{s:.3g}" for s in sampled_scales)
    return {
        "posterior": None, "posterior_source": None, "source_scale": None,
        "khat": None, "ess": None, "reliable": None,
        "posterior_note": (f"Sampled at scale {where} only: this prior's coefficients share "
                           "its global scale, so no PSIS preview reweights them to another "
                           "scale. Press Sample for this scale."),
    }
