r"""Gibbs samplers for the regularization priors: exact conditionals, no tuning.

The Normal, Laplace and horseshoe priors are scale mixtures of normals,

.. math::

    w_j \mid v_j \sim N(0, v_j), \qquad
    v_j = t^2 \ (\text{Normal}), \quad
    v_j \sim \text{Exp}\!\left(\text{rate} = \tfrac{1}{2 s^2}\right) \ (\text{Laplace}), \quad
    v_j = \lambda_j^2 \tau^2,\ \lambda_j, \tau \sim C^+ \ (\text{horseshoe}),

so given the variances ``v`` the coefficients are Gaussian, and given the
coefficients every variance has a standard conditional (Park & Casella 2008 for
the Laplace; Makalic & Schmidt 2016 for the half-Cauchy scales). This module
samples exactly the model that :mod:`bayesreg.posterior.model` writes for PyMC:
the same priors, the flat intercept, ``sigma`` fixed or ``HalfNormal(sd(y))``.

The steps of one sweep, for every chain at once (chains are a batch axis):

1. ``w | v, sigma`` (Gaussian likelihood; intercept integrated out by centring):
   :math:`N(A^{-1} X_c^\top y_c / \sigma^2, A^{-1})`, :math:`A = X_c^\top X_c/\sigma^2 + V^{-1}`.
   With ``n >= p`` by a Cholesky factor of ``A`` (Rue 2001); with ``p > n`` by
   the ``n x n`` method of Bhattacharya, Chakraborty & Mallick (2016).
2. ``sigma^2 | w`` (when learned): ``v^{-(n-1)/2} e^{-RSS/(2 v)}`` times the
   half-normal prior (see :mod:`._conditionals`).
3. the prior's variances ``| w`` (inverse Gaussian for the Laplace, inverse
   gamma for the half-Cauchy scales), and a learned scale.
4. the intercept ``| w, sigma``: :math:`N(\bar y - \bar x^\top w, \sigma^2/n)`.

For the Gaussian likelihood with ``n >= p`` a sweep is a few hundred flops, so
it runs compiled, one chain after another (:mod:`._gibbs_kernel`, numba);
``p > n`` and the logistic model run all chains at once in numpy, where BLAS
and the Polya-Gamma draws dominate.

Bernoulli-logit likelihood: Polya-Gamma augmentation (Polson, Scott & Windle
2013), ``omega_i | w ~ PG(1, eta_i)``, after which ``(intercept, w)`` is
Gaussian with precision :math:`\tilde X^\top \Omega \tilde X + V^{-1}` (the
intercept's prior precision is 0), drawn jointly when ``p < n`` and as
intercept-then-coefficients (Bhattacharya) when ``p >= n``.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import xarray as xr
from threadpoolctl import ThreadpoolController

from ..model.priors import Laplace, Normal, Prior

from ..model.horseshoe import Horseshoe

from ..model.registry import prior_classes
from . import model as _model
from ._conditionals import draw_horseshoe_local_precision, draw_laplace_variance, draw_variance

__all__ = ["GIBBS_PRIORS", "check_gibbs", "sample_gibbs"]

#: The prior families with a Gibbs scheme for some likelihood, from the classes
#: themselves; each says which likelihoods (``Prior.gibbs_refusal``).
GIBBS_PRIORS = tuple(
    cls for cls in prior_classes().values() if issubclass(cls, Prior) and cls._gibbs_likelihoods
)

#: Floor on the prior variances given to the coefficient draw. Horseshoe local
#: variances of noise coefficients can drift below 1e-308, and BLAS on subnormal
#: numbers runs ~100x slower; a prior sd of 1e-100 is zero to working precision.
VARIANCE_FLOOR = 1e-200
#: Update the horseshoe's tau with the coefficients integrated out when p > n
#: (False: the plain tau | w conditional; the tests compare the two).
COLLAPSED_TAU = True
#: Largest condition number bound of Bhattacharya's n x n system accepted (p > n);
#: beyond it (columns on wildly different scales) the p x p draw is used instead.
MAX_BHATTACHARYA_CONDITION = 1e10
#: Metropolis steps on the horseshoe's global scale per sweep (p > n; each is one n x n Cholesky).
_TAU_STEPS = 3


def check_gibbs(prior, owner, likelihood="gaussian"):
    """Raise a clear error if the Gibbs sampler does not cover ``prior`` (and ``likelihood``).

    The prior says so itself (:meth:`bayesreg.model.priors.Prior.gibbs_refusal`).
    """
    reason = prior.gibbs_refusal(likelihood)
    if reason is not None:
        raise ValueError(f"{owner}: sampler='gibbs' {reason} Use sampler='nutpie' for it.")


# ---------------------------------------------------------------- prior variances
class _PriorScale:
    """The squared prior scale ``scale2`` per chain: fixed, or learned under a hyperprior."""

    def __init__(self, prior, chains, rng):
        self.hyper = prior.scale if prior.is_hierarchical else None
        if self.hyper is None:
            self.scale2 = np.full(chains, float(prior.scale) ** 2)
        else:
            self.scale2 = self.hyper.scale**2 * np.exp(rng.uniform(-1, 1, chains))
            self.xi = np.ones(chains)

    def update_scale(self, k, b, rng):
        """Draw ``scale2`` from ``v^-k exp(-b/v)`` times its hyperprior (when learned)."""
        if self.hyper is not None:
            self.scale2, self.xi = draw_variance(
                k, b, type(self.hyper).__name__, self.hyper.scale, self.xi, rng
            )

    def record(self):
        return {"scale": np.sqrt(self.scale2)} if self.hyper is not None else {}


class _NormalVariances(_PriorScale):
    """``w_j ~ N(0, t^2)``, ``t`` fixed or with a hyperprior."""

    def __init__(self, prior, chains, p, rng):
        super().__init__(prior, chains, rng)
        self.p = p

    @property
    def variances(self):
        return np.broadcast_to(self.scale2[:, None], (self.scale2.size, self.p))

    def update(self, coef, rng):
        self.update_scale(self.p / 2, 0.5 * np.sum(coef**2, axis=1), rng)


class _LaplaceVariances(_PriorScale):
    """``w_j | v_j ~ N(0, v_j)``, ``v_j ~ Exp(rate 1/(2 s^2))``: Laplace(s) marginally."""

    def __init__(self, prior, chains, p, rng):
        super().__init__(prior, chains, rng)
        self.variances = 2.0 * self.scale2[:, None] * np.exp(rng.uniform(-1, 1, (chains, p)))

    def update(self, coef, rng):
        # 1/v_j | w_j ~ InverseGaussian(mean = 1 / (s |w_j|), shape = 1 / s^2)
        self.variances = draw_laplace_variance(np.abs(coef), np.sqrt(self.scale2)[:, None], rng)
        self.update_scale(coef.shape[1], 0.5 * np.sum(self.variances, axis=1), rng)


class _HorseshoeVariances:
    """``w_j ~ N(0, lambda_j^2 tau^2)``, ``lambda_j ~ C+(0, 1)``, ``tau ~ C+(0, global_scale)``."""

    def __init__(self, prior, chains, p, rng):
        self.global_scale = float(prior.global_scale)
        self.tau2 = self.global_scale**2 * np.exp(rng.uniform(-1, 1, chains))
        self.lam2 = np.exp(rng.uniform(-1, 1, (chains, p)))
        self.xi = np.ones(chains)
        self.log_step = np.full(chains, np.log(0.5))  # Metropolis step on log tau (p > n)
        self._adapted = 0

    def adapt(self, accepted):
        """Robbins-Monro towards acceptance 0.44 (one-dimensional random walk)."""
        self._adapted += 1
        self.log_step += (accepted - 0.44) * self._adapted**-0.6

    @property
    def variances(self):
        return self.lam2 * self.tau2[:, None]

    def update(self, coef, rng):
        self.update_local(coef, rng)
        self.tau2, self.xi = draw_variance(
            coef.shape[1] / 2, 0.5 * np.sum(coef**2 / self.lam2, axis=1), "HalfCauchy",
            self.global_scale, self.xi, rng,
        )

    def update_local(self, coef, rng):
        """lambda_j^2 | w_j, tau exactly (see draw_horseshoe_local_precision)."""
        self.lam2 = 1.0 / draw_horseshoe_local_precision(coef**2 / (2.0 * self.tau2[:, None]), rng)

    def record(self):
        return {"tau": np.sqrt(self.tau2), "lambda": np.sqrt(self.lam2)}


def _prior_variances(prior, chains, p, rng):
    kind = {Normal: _NormalVariances, Laplace: _LaplaceVariances, Horseshoe: _HorseshoeVariances}
    return kind[type(prior)](prior, chains, p, rng)


# ---------------------------------------------------------------- Gaussian draws
def _draw_gaussian_rue(precision, linear, rng):
    """``N(Q^{-1} b, Q^{-1})`` per chain via ``Q = L L^T``: ``Q^{-1}(b + L z)``."""
    chol = np.linalg.cholesky(precision)
    z = rng.standard_normal(linear.shape)
    rhs = linear + np.matmul(chol, z[..., None])[..., 0]
    return np.linalg.solve(precision, rhs[..., None])[..., 0]


def _draw_gaussian_bhattacharya(phi, alpha, variances, rng, system=None):
    r"""``N(\mu, \Sigma)`` with :math:`\Sigma = (\Phi^\top\Phi + V^{-1})^{-1}`, :math:`\mu = \Sigma\Phi^\top\alpha`.

    Bhattacharya, Chakraborty & Mallick (2016): ``u ~ N(0, V)``, ``d ~ N(0, I_n)``,
    solve :math:`(\Phi V \Phi^\top + I) r = \alpha - (\Phi u + d)`, return
    :math:`u + V \Phi^\top r`. Costs ``O(n^2 p)`` instead of ``O(p^3)``.
    ``phi`` is ``(chains, n, p)``; ``alpha`` ``(chains, n)``; ``variances`` ``(chains, p)``;
    ``system`` the matrix :math:`\Phi V \Phi^\top + I` when the caller has it already.
    """
    chains, n, p = phi.shape
    # The n x n system I + M M^T (M = Phi V^1/2) has eigenvalues in [1, 1 + tr(M M^T)].
    # A column on a far larger scale than the others (x 1e8) makes it singular to
    # working precision; those chains take the p x p draw, whose Cholesky factor
    # is unaffected by how the columns are scaled.
    condition_bound = 1.0 + np.einsum("cij,cij,cj->c", phi, phi, variances)
    dense = condition_bound > MAX_BHATTACHARYA_CONDITION
    if dense.any():
        out = np.empty((chains, p))
        out[dense] = _draw_gaussian_dense(phi[dense], alpha[dense], variances[dense], rng)
        fast = ~dense
        if fast.any():
            out[fast] = _draw_gaussian_bhattacharya(
                phi[fast], alpha[fast], variances[fast], rng, None if system is None else system[fast]
            )
        return out
    u = np.sqrt(variances) * rng.standard_normal((chains, p))
    d = rng.standard_normal((chains, n))
    phi_v = phi * variances[:, None, :]
    if system is None:
        system = np.matmul(phi_v, np.swapaxes(phi, 1, 2))
        system[:, np.arange(n), np.arange(n)] += 1.0
    r = np.linalg.solve(system, (alpha - np.matmul(phi, u[..., None])[..., 0] - d)[..., None])
    return u + np.matmul(np.swapaxes(phi_v, 1, 2), r)[..., 0]


def _draw_gaussian_dense(phi, alpha, variances, rng):
    r"""The same draw as :func:`_draw_gaussian_bhattacharya` by a ``p x p`` Cholesky factor (Rue)."""
    precision = _add_to_diagonal(np.matmul(np.swapaxes(phi, 1, 2), phi), 1.0 / variances)
    return _draw_gaussian_rue(precision, np.matmul(np.swapaxes(phi, 1, 2), alpha[..., None])[..., 0], rng)


def _batched_cholesky(matrices):
    """Lower Cholesky factors and a mask of the matrices that are not numerically PD (identity there)."""
    try:
        return np.linalg.cholesky(matrices), np.zeros(matrices.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        chol, failed = np.empty_like(matrices), np.zeros(matrices.shape[0], dtype=bool)
        for c, matrix in enumerate(matrices):
            try:
                chol[c] = np.linalg.cholesky(matrix)
            except np.linalg.LinAlgError:
                chol[c], failed[c] = np.eye(matrix.shape[0]), True
        return chol, failed


def _add_to_diagonal(matrices, values):
    idx = np.arange(matrices.shape[-1])
    matrices[..., idx, idx] += values
    return matrices


# ---------------------------------------------------------------- the samplers
class _GaussianSweep:
    """One Gibbs sweep of the Gaussian-likelihood model, all chains at once."""

    def __init__(self, X, y, sigma, fit_intercept, chains, rng):
        n, p = X.shape
        self.x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
        self.y_mean = float(y.mean()) if fit_intercept else 0.0
        self.Xc, self.yc = X - self.x_mean, y - self.y_mean
        self.fit_intercept, self.n, self.p = fit_intercept, n, p
        self.use_rue = n >= p
        if self.use_rue:
            self.gram, self.Xty = self.Xc.T @ self.Xc, self.Xc.T @ self.yc
        self.sigma_fixed = sigma is not None
        self.sigma_prior_scale = _model.sigma_prior_scale(y)  # used when sigma is learned
        if self.sigma_fixed:
            self.sigma2 = np.full(chains, float(sigma) ** 2)
        else:
            self.sigma2 = self.sigma_prior_scale**2 * np.exp(rng.uniform(-2, 0, chains))

    def draw_coef(self, variances, rng):
        variances = np.maximum(variances, VARIANCE_FLOOR)
        s2 = self.sigma2
        if self.use_rue:
            precision = _add_to_diagonal(self.gram / s2[:, None, None], 1.0 / variances)
            return _draw_gaussian_rue(precision, self.Xty / s2[:, None], rng)
        sigma = np.sqrt(s2)
        phi = self.Xc[None, :, :] / sigma[:, None, None]
        return _draw_gaussian_bhattacharya(phi, self.yc / sigma[:, None], variances, rng)

    def draw_tau_and_coef(self, horseshoe, rng, tuning):
        r"""``(tau, w) | lambda, sigma`` for the horseshoe when ``p > n``.

        ``tau`` by random-walk Metropolis on ``log tau`` with ``w`` integrated out,
        :math:`y_c \sim N(0, \sigma^2 I + \tau^2 X_c \Lambda^2 X_c^\top)` (Johndrow,
        Orenstein & Bhattacharya 2020: the one-at-a-time ``tau | w`` update mixes
        very slowly when p is large), then ``w | tau`` exactly (Bhattacharya).
        The step size adapts during ``tune`` only.
        """
        lam2 = np.maximum(horseshoe.lam2, VARIANCE_FLOOR)
        gram = np.matmul(self.Xc[None] * lam2[:, None, :], self.Xc.T)  # X_c Lambda^2 X_c^T
        current = self._log_tau_posterior(gram, lam2, horseshoe.tau2, horseshoe.global_scale)
        for _ in range(_TAU_STEPS):
            step = np.exp(horseshoe.log_step)
            tau2 = horseshoe.tau2 * np.exp(2.0 * step * rng.standard_normal(step.shape))
            proposed = self._log_tau_posterior(gram, lam2, tau2, horseshoe.global_scale)
            with np.errstate(invalid="ignore"):  # -inf - -inf: a singular start, left below
                accept = np.log(rng.random(step.shape)) < proposed - current
            accept |= np.isneginf(current) & np.isfinite(proposed)
            horseshoe.tau2 = np.where(accept, tau2, horseshoe.tau2)
            current = np.where(accept, proposed, current)
            if tuning:
                horseshoe.adapt(accept)
        sigma = np.sqrt(self.sigma2)
        system = gram * (horseshoe.tau2 / self.sigma2)[:, None, None]
        _add_to_diagonal(system, 1.0)
        phi = self.Xc[None, :, :] / sigma[:, None, None]
        variances = np.maximum(lam2 * horseshoe.tau2[:, None], VARIANCE_FLOOR)
        return _draw_gaussian_bhattacharya(phi, self.yc / sigma[:, None], variances, rng, system=system)

    def _log_tau_posterior(self, gram, lam2, tau2, global_scale):
        """log p(log tau | lambda, sigma, y) up to a constant, per chain."""
        log_det, quad = np.empty(tau2.shape), np.empty(tau2.shape)
        singular = np.zeros(tau2.shape, dtype=bool)
        # sigma^2 (I + M M^T), M = tau X_c Lambda / sigma: condition <= 1 + tr(M M^T) (see
        # _draw_gaussian_bhattacharya); beyond the bound the p x p form by Woodbury
        ratio = tau2 / self.sigma2
        dense = 1.0 + ratio * np.trace(gram, axis1=1, axis2=2) > MAX_BHATTACHARYA_CONDITION
        fast = ~dense
        if fast.any():
            cov = gram[fast] * tau2[fast, None, None]
            _add_to_diagonal(cov, self.sigma2[fast, None])
            chol, singular[fast] = _batched_cholesky(cov)
            yc = np.broadcast_to(self.yc, (int(fast.sum()),) + self.yc.shape)
            white = np.linalg.solve(chol, yc[..., None])[..., 0]
            log_det[fast] = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1)
            quad[fast] = np.sum(white**2, axis=1)
        if dense.any():
            # log det = n log sigma^2 + log det(I + M^T M);
            # y^T cov^-1 y = (y^T y - b^T (I + M^T M)^-1 b) / sigma^2, b = M^T y
            m = self.Xc[None] * np.sqrt(lam2[dense] * ratio[dense, None])[:, None, :]
            inner = _add_to_diagonal(np.matmul(np.swapaxes(m, 1, 2), m), 1.0)
            chol, singular[dense] = _batched_cholesky(inner)
            white = np.linalg.solve(chol, (self.yc @ m)[..., None])[..., 0]
            log_det[dense] = (self.n * np.log(self.sigma2[dense])
                              + 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1))
            quad[dense] = (self.yc @ self.yc - np.sum(white**2, axis=1)) / self.sigma2[dense]
        log_prior = -np.log1p(tau2 / global_scale**2) + 0.5 * np.log(tau2)  # C+(g), Jacobian of log tau
        # a far-out proposal (tau^2 ~ 1e14 beside a x 1e8 column) can make the covariance
        # singular to working precision: its density is then taken as 0 (rejected)
        return np.where(singular, -np.inf, -0.5 * log_det - 0.5 * quad + log_prior)

    def update_noise(self, coef, rng):
        if self.sigma_fixed:
            return
        rss = np.sum((self.yc - coef @ self.Xc.T) ** 2, axis=1)
        dof = self.n - int(self.fit_intercept)  # the intercept is integrated out
        self.sigma2, _ = draw_variance(dof / 2, rss / 2, "HalfNormal", self.sigma_prior_scale, None, rng)

    def record(self, coef, rng, sigma2=None):
        """Intercept and sigma to store beside ``coef`` (one sweep, or a whole run's draws).

        The intercept integrated out of the sweep is drawn here: the centred one
        ``| w, sigma ~ N(mean(y), sigma^2 / n)``, reported as ``b_c - mean(x) @ w``.
        """
        sigma2 = self.sigma2 if sigma2 is None else sigma2
        out = {}
        if self.fit_intercept:
            centred = self.y_mean + np.sqrt(sigma2 / self.n) * rng.standard_normal(sigma2.shape)
            out["intercept"] = centred - coef @ self.x_mean
        if not self.sigma_fixed:
            out["sigma"] = np.sqrt(sigma2)
        return out


class _LogisticSweep:
    """One Polya-Gamma Gibbs sweep of the Bernoulli-logit model, all chains at once."""

    def __init__(self, X, y, fit_intercept, chains, rng):
        try:
            from polyagamma import random_polyagamma
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ImportError(
                "sampler='gibbs' for the Bernoulli likelihood needs the polyagamma package: "
                "pip install polyagamma"
            ) from exc
        self._random_pg = random_polyagamma
        n, p = X.shape
        self.X, self.kappa = X, y - 0.5
        self.fit_intercept, self.n, self.p = fit_intercept, n, p
        self.design = np.column_stack([np.ones(n), X]) if fit_intercept else X
        self.joint = self.design.shape[1] < n
        self.intercept = np.zeros(chains)
        self.coef = np.zeros((chains, p))

    def draw_coef(self, variances, rng):
        variances = np.maximum(variances, VARIANCE_FLOOR)
        chains = variances.shape[0]
        eta = self.coef @ self.X.T + self.intercept[:, None]
        omega = self._random_pg(1.0, eta, random_state=rng)
        if self.joint:
            prior_precision = 1.0 / variances
            if self.fit_intercept:
                prior_precision = np.column_stack([np.zeros(chains), prior_precision])
            weighted = np.swapaxes(self.design, 0, 1)[None] * omega[:, None, :]
            precision = _add_to_diagonal(np.matmul(weighted, self.design), prior_precision)
            linear = np.broadcast_to(self.design.T @ self.kappa, prior_precision.shape)
            theta = _draw_gaussian_rue(precision, linear, rng)
            if self.fit_intercept:
                self.intercept, coef = theta[:, 0], theta[:, 1:]
            else:
                coef = theta
        else:
            if self.fit_intercept:  # intercept | w, omega, then w | intercept, omega
                total = omega.sum(axis=1)
                resid = self.kappa - omega * (self.coef @ self.X.T)
                self.intercept = resid.sum(axis=1) / total + rng.standard_normal(chains) / np.sqrt(total)
            root = np.sqrt(omega)
            phi = root[:, :, None] * self.X[None]
            alpha = (self.kappa - omega * self.intercept[:, None]) / root
            coef = _draw_gaussian_bhattacharya(phi, alpha, variances, rng)
        self.coef = coef
        return coef

    def update_noise(self, coef, rng):
        pass

    def record(self, coef, rng):
        return {"intercept": self.intercept.copy()} if self.fit_intercept else {}


@contextmanager
def _progress(total, enabled):
    """A rich progress bar (PyMC's own dependency), or nothing."""
    if not enabled:
        yield lambda advance: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Gibbs"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeRemainingColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("gibbs", total=total)
        yield lambda advance: progress.update(task, advance=advance)


_threadpools = []  # one ThreadpoolController: finding the BLAS libraries costs ~5 ms per call


def _one_blas_thread():
    if not _threadpools:
        _threadpools.append(ThreadpoolController())
    return _threadpools[0].limit(limits=1, user_api="blas")


def sample_gibbs(likelihood, prior, sigma, X, y, *, fit_intercept, draws, tune, chains,
                 random_seed, progressbar, feature_names):
    """Sample the posterior by Gibbs; returns an ``xarray.Dataset`` like the NUTS samplers.

    Variables: ``coef`` (dim ``feature``), ``intercept``, and where the model has
    them ``sigma``, ``scale`` with ``alpha`` (Gaussian) or ``C`` (Bernoulli),
    ``tau`` and ``lambda``. ``tune`` sweeps are discarded as burn-in.
    """
    rng = np.random.default_rng(random_seed)
    n, p = X.shape
    # One BLAS thread: the sweeps are many small products, and OpenBLAS's spinning
    # worker threads made them ~30x slower on a loaded two-core machine.
    with _progress(chains * (tune + draws), progressbar) as advance, _one_blas_thread():
        if likelihood == "gaussian" and _compiled_sweep_applies(prior, sigma, n, p, fit_intercept):
            store = _sample_gaussian_compiled(prior, sigma, X, y, fit_intercept, draws, tune, chains, rng, advance)
        else:
            store = _sample_vectorised(likelihood, prior, sigma, X, y, fit_intercept, draws, tune, chains, rng,
                                       advance)

    if prior.is_hierarchical:
        # the same arithmetic as the PyMC model's
        l1, l2 = _model._penalty_weights(type(prior).__name__, store["scale"], None)
        if likelihood == "bernoulli":
            store["C"] = 1.0 / (l1 + l2)
        elif isinstance(prior, Normal):
            store["alpha"] = _noise_variance(store, sigma) * l2
        else:
            store["alpha"] = _noise_variance(store, sigma) / n * (l1 + l2)

    dims = {"coef": ("chain", "draw", "feature"), "lambda": ("chain", "draw", "feature")}
    coords = {"chain": np.arange(chains), "draw": np.arange(draws), "feature": list(feature_names)}
    return xr.Dataset(
        {name: (dims.get(name, ("chain", "draw")), value) for name, value in store.items()},
        coords=coords,
    )


def _noise_variance(store, sigma):
    return store["sigma"] ** 2 if "sigma" in store else float(sigma) ** 2


def _sample_vectorised(likelihood, prior, sigma, X, y, fit_intercept, draws, tune, chains, rng, advance):
    """All chains at once with numpy: the p > n and logistic samplers (BLAS-bound sweeps)."""
    n, p = X.shape
    variances = _prior_variances(prior, chains, p, rng)
    if likelihood == "gaussian":
        sweep = _GaussianSweep(X, y, sigma, fit_intercept, chains, rng)
    else:
        sweep = _LogisticSweep(X, y, fit_intercept, chains, rng)
    collapsed_tau = (COLLAPSED_TAU and isinstance(prior, Horseshoe) and likelihood == "gaussian"
                     and not sweep.use_rue)
    store = {}
    step = max(1, (tune + draws) // 100)
    for it in range(tune + draws):
        if collapsed_tau:
            coef = sweep.draw_tau_and_coef(variances, rng, tuning=it < tune)
            sweep.update_noise(coef, rng)
            variances.update_local(coef, rng)
        else:
            coef = sweep.draw_coef(variances.variances, rng)
            sweep.update_noise(coef, rng)
            variances.update(coef, rng)
        if it >= tune:
            values = {"coef": coef, **sweep.record(coef, rng), **variances.record()}
            for name, value in values.items():
                if name not in store:
                    store[name] = np.empty((chains, draws) + value.shape[1:])
                store[name][:, it - tune] = value
        if (it + 1) % step == 0:
            advance(step * chains)
    return store


def _compiled_sweep_applies(prior, sigma, n, p, fit_intercept):
    """The compiled n >= p sweep needs every half-normal proposal shape k - 1/2 > 0."""
    if n < p:
        return False
    if sigma is None and n - int(fit_intercept) < 2:
        return False
    hyper = prior.scale if prior.is_hierarchical else None
    return not (isinstance(prior, Normal) and type(hyper).__name__ == "HalfNormal" and p < 2)


def _sample_gaussian_compiled(prior, sigma, X, y, fit_intercept, draws, tune, chains, rng, advance):
    """One compiled chain after another (see :mod:`._gibbs_kernel`); same model as the numpy sweep."""
    from . import _gibbs_kernel as kernel

    n, p = X.shape
    sweep = _GaussianSweep(X, y, sigma, fit_intercept, chains, rng)  # centred data, gram, first sigma^2
    xc = np.ascontiguousarray(sweep.Xc)
    kind = {Normal: kernel.NORMAL, Laplace: kernel.LAPLACE, Horseshoe: kernel.HORSESHOE}[type(prior)]
    if isinstance(prior, Horseshoe):
        hyper, hyper_scale = kernel.HALF_CAUCHY, float(prior.global_scale)
    elif prior.is_hierarchical:
        hyper = {"HalfCauchy": kernel.HALF_CAUCHY, "HalfNormal": kernel.HALF_NORMAL}[type(prior.scale).__name__]
        hyper_scale = float(prior.scale.scale)
    else:
        hyper, hyper_scale = kernel.FIXED, 1.0

    store = {"coef": np.empty((chains, draws, p)), "sigma2": np.empty((chains, draws)),
             "scale2": np.empty((chains, draws)), "local": np.empty((chains, draws, p))}
    for c in range(chains):
        jitter = np.exp(rng.uniform(-1, 1, p + 1))  # dispersed starts, for R-hat
        scale2 = hyper_scale**2 * jitter[0] if hyper != kernel.FIXED else float(prior.scale) ** 2
        variances = scale2 * (2.0 if kind == kernel.LAPLACE else 1.0) * jitter[1:]
        kernel.gaussian_chain(
            sweep.gram, sweep.Xty, xc, sweep.yc, float(n - int(fit_intercept)), kind, hyper, hyper_scale,
            scale2, 1.0, variances, np.ones(p), float(sweep.sigma2[c]), sweep.sigma_prior_scale,
            sweep.sigma_fixed, tune, rng,
            store["coef"][c], store["sigma2"][c], store["scale2"][c], store["local"][c],
        )
        advance(tune + draws)

    out = {"coef": store["coef"], **sweep.record(store["coef"], rng, sigma2=store["sigma2"])}
    if isinstance(prior, Horseshoe):
        out["tau"], out["lambda"] = np.sqrt(store["scale2"]), np.sqrt(store["local"])
    elif prior.is_hierarchical:
        out["scale"] = np.sqrt(store["scale2"])
    return out
