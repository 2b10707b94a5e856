"""The main job: MAP estimates on the diabetes data, and the prior -> penalty table.

Run with ``python -m bayesreg`` (or ``make demo``).
"""

from __future__ import annotations

import pandas as pd

from . import datasets
from .map import MAPRegressor
from .model.mapping import to_penalty
from .model.priors import ElasticNet, Laplace, Normal


def main():
    X, y = datasets.load_diabetes()
    n = X.shape[0]
    priors = [Normal(scale=10.0), Laplace(scale=1.0), ElasticNet(scale=2.0, l1_ratio=0.5)]
    fits = [MAPRegressor(prior).fit(X, y) for prior in priors]
    sigma = fits[0].sigma_

    print(f"bayesreg demo: diabetes data, n = {n}, p = {X.shape[1]}")
    print(f"noise scale sigma estimated by least squares: {sigma:.4f}\n")
    rows = []
    for prior, fit in zip(priors, fits):
        # glmnet standardises y, so its lambda depends on sd(y) (divisor n)
        glmnet = to_penalty(prior, n_samples=n, sigma=sigma, convention="glmnet",
                            y_sd=float(y.std(ddof=0)))
        rows.append(
            {
                "prior": repr(prior),
                "sklearn": fit.penalty_["estimator"],
                "alpha": fit.penalty_["alpha"],
                "l1_ratio": fit.penalty_.get("l1_ratio", ""),
                "glmnet lambda": glmnet["lambda"],
                "glmnet alpha": glmnet["alpha"],
            }
        )
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("prior -> penalty (exact mapping at this sigma and n; glmnet: standardize=FALSE):")
        print(pd.DataFrame(rows).to_string(index=False), "\n")
        coefs = pd.DataFrame(
            {repr(p): f.coef_ for p, f in zip(priors, fits)}, index=X.columns
        )
        coefs.loc["(intercept)"] = [f.intercept_ for f in fits]
        print("MAP coefficients:")
        print(coefs.round(3).to_string())


if __name__ == "__main__":
    main()
