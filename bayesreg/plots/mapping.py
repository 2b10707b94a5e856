"""The prior scale as a penalty strength: alpha (and lambda) against scale."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..model.mapping import to_penalty
from ..model.priors import ElasticNet, Laplace, Normal
from ._families import family_style

__all__ = ["plot_scale_to_penalty"]

_GLMNET_EVERY = 12  # glmnet markers on every 12th scale: enough to see they sit on the lines


def _check_scales(scales):
    scales = np.asarray(scales, dtype=float)
    if scales.ndim != 1 or scales.size < 2 or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError(
            "plot_scale_to_penalty: scales must be a 1-D array of at least two finite "
            "positive prior scales."
        )
    return np.sort(scales)


def plot_scale_to_penalty(n_samples, sigma, *, scales=None, y_sd=None, ax=None):
    r"""Penalty strength as a function of the prior scale, for each prior and convention.

    Every value comes from :func:`bayesreg.to_penalty` (Gaussian likelihood):
    ``Ridge`` :math:`\alpha = \sigma^2/t^2` for ``Normal(scale=t)``; the
    ``Lasso``/``ElasticNet`` :math:`\alpha` (which has a :math:`1/n`) for the
    Normal (``l1_ratio=0``), Laplace and ``ElasticNet(l1_ratio=0.5)`` priors;
    glmnet's ``lambda`` (markers, ``standardize=FALSE``).  glmnet standardises
    y, so its L2 weight is :math:`\lambda(1-\alpha_g)/\mathrm{sd}(y)`: for the
    Laplace prior its lambda is the Lasso :math:`\alpha`, for the others it
    depends on ``y_sd`` and is drawn only when ``y_sd`` is given.  A note gives
    ``LogisticRegression``'s ``C``, which depends on neither n nor sigma.

    Parameters
    ----------
    n_samples : int
        Number of observations ``n``.
    sigma : float
        Noise standard deviation.
    scales : array-like, optional
        Prior scales (x axis); default 97 log-spaced values from 0.01 sigma
        to 100 sigma (the Ridge alpha is ``(sigma/t)**2``, so this spans it
        from 1e-4 to 1e4).
    y_sd : float, optional
        ``numpy.std(y)`` (divisor n) of the response: with it, glmnet's lambda
        of the Normal and ElasticNet priors is drawn too.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Lines labelled by prior and estimator; glmnet markers have
        ``gid = "glmnet:<prior class>"``.
    """
    if scales is None:
        scales = np.logspace(-2, 2, 97) * float(sigma)
    scales = _check_scales(scales)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.8))

    def alphas(make_prior, key="alpha", **kw):
        return np.array([to_penalty(make_prior(s), n_samples=n_samples, sigma=sigma, **kw)[key]
                         for s in scales])

    series = [
        (Normal, "Normal(t) → Ridge α = σ²/t²", dict(),
         lambda s: Normal(scale=s)),
        # the Normal prior's penalty is the ElasticNet prior's with l1_ratio=0
        (Normal, "Normal(t) → ElasticNet α (l1_ratio=0) = σ²/(n t²)", dict(linestyle=":"),
         lambda s: ElasticNet(scale=s, l1_ratio=0.0)),
        (Laplace, "Laplace(s) → Lasso α = σ²/(n s)", dict(),
         lambda s: Laplace(scale=s)),
        (ElasticNet, "ElasticNet(s, r=0.5) → ElasticNet α = (σ²/n)(r/s + (1−r)/s²)", dict(),
         lambda s: ElasticNet(scale=s, l1_ratio=0.5)),
    ]
    for family, label, extra, make_prior in series:
        style = family_style(family) | extra
        ax.plot(scales, alphas(make_prior), label=label, **style)
    # glmnet's lambda, computed in glmnet's convention
    marked = scales[::_GLMNET_EVERY]
    glmnet_priors = [(Laplace, lambda s: Laplace(scale=s))]
    if y_sd is not None:
        glmnet_priors += [(Normal, lambda s: Normal(scale=s)),
                          (ElasticNet, lambda s: ElasticNet(scale=s, l1_ratio=0.5))]
    for i, (family, make_prior) in enumerate(glmnet_priors):
        lam = [to_penalty(make_prior(s), n_samples=n_samples, sigma=sigma, convention="glmnet",
                          y_sd=y_sd)["lambda"] for s in marked]
        (line,) = ax.plot(
            marked, lam, linestyle="none", marker="o", markersize=5, markerfacecolor="none",
            color=family_style(family)["color"],
            label=("glmnet λ (standardize=FALSE): the Lasso α for Laplace"
                   + ("" if y_sd is None else f"; × sd(y) = {y_sd:.3g} on the L2 part"))
            if i == 0 else None,
        )
        line.set_gid(f"glmnet:{family.__name__}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("prior scale (t for Normal, s for Laplace and ElasticNet)")
    ax.set_ylabel("penalty strength α (sklearn), λ (glmnet)")
    ax.set_title(f"Prior scale → penalty strength (n = {n_samples}, σ = {sigma:g})")
    ax.text(
        0.99, 0.99,
        "LogisticRegression: C = t² (Normal), C = s (Laplace):\nno n and no σ",
        transform=ax.transAxes, ha="right", va="top", fontsize="small",
    )
    ax.legend(loc="lower left")
    return ax
