r"""The one-coefficient posterior of a prior without a closed form, by quadrature.

For a prior that is not an L1/L2 penalty (``prior.is_convex`` False, e.g. the
Student-t), :math:`p(w \mid z) \propto N(z \mid w, \mathrm{se}^2)\,p(w)` is
integrated numerically: adaptive Gauss-Kronrod (``scipy.integrate.quad``) on
:math:`z \pm 40\,\mathrm{se}` and on 0 :math:`\pm 40\,\mathrm{se}`, where all but
:math:`e^{-800}` of the likelihood's mass lies, to a relative error of about
1e-10.  Same interface as :class:`~bayesreg.teaching._two_piece.TwoPieceNormal`.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, optimize

__all__ = ["QuadraturePosterior"]

_WIDTH = 40.0  # in standard errors: the likelihood beyond it is below exp(-800)


class QuadraturePosterior:
    """Density, CDF, quantiles and moments of one coefficient's posterior, numerically."""

    def __init__(self, z, se, prior):
        self.z, self.se, self.prior = float(z), float(se), prior
        self.lo = min(self.z, 0.0) - _WIDTH * self.se
        self.hi = max(self.z, 0.0) + _WIDTH * self.se
        # the log density at the mode keeps exp() in range however peaked the posterior
        self._shift = self._unnormalised_log(float(prior.prox(self.z, step=self.se**2)))
        self._log_norm = np.log(self._integral(lambda w: 1.0))

    def _unnormalised_log(self, w):
        # log N(z | w, se^2) without its constant (cancels in the normalisation)
        return -0.5 * ((self.z - w) / self.se) ** 2 + self.prior.logpdf(w)

    def _integral(self, f, lo=None, hi=None):
        lo, hi = self.lo if lo is None else lo, self.hi if hi is None else hi
        if hi <= lo:
            return 0.0

        def integrand(w):
            return f(w) * np.exp(self._unnormalised_log(w) - self._shift)

        points = [p for p in (0.0, self.z) if lo < p < hi]
        value, _ = integrate.quad(integrand, lo, hi, points=points or None, limit=400,
                                  epsabs=0.0, epsrel=1e-11)
        return value

    def logpdf(self, w):
        w = np.asarray(w, dtype=float)
        inside = (w >= self.lo) & (w <= self.hi)
        return np.where(inside, self._unnormalised_log(w) - self._shift - self._log_norm, -np.inf)

    def cdf(self, w):
        w = np.asarray(w, dtype=float)
        norm = np.exp(self._log_norm)
        out = [min(1.0, self._integral(lambda v: 1.0, hi=min(x, self.hi)) / norm) for x in w.ravel()]
        return np.reshape(out, w.shape)

    def ppf(self, q):
        q = np.asarray(q, dtype=float)
        out = [optimize.brentq(lambda w, p=p: float(self.cdf(w)) - p, self.lo, self.hi, xtol=1e-12)
               if 0 < p < 1 else (self.lo if p == 0 else self.hi) for p in q.ravel()]
        return np.reshape(out, q.shape)

    def moments(self):
        norm = np.exp(self._log_norm)
        mean = self._integral(lambda w: w) / norm
        return mean, self._integral(lambda w: (w - mean) ** 2) / norm
