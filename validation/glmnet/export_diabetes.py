"""Write the diabetes data that ``record_glmnet.R`` fits, at full precision.

``diabetes.csv``: ``bayesreg.datasets.load_diabetes()`` (columns standardised
with the 1/n sd, y in its own units) plus ``y_binary = y > median(y)``;
``diabetes_raw.csv``: the same rows with X in scikit-learn's raw units, for
the ``standardize=TRUE`` fits (on the standardised X glmnet's own
standardisation would change nothing).

Run from the repository root: ``python validation/glmnet/export_diabetes.py``.
"""

from pathlib import Path

from sklearn import datasets as sk_datasets

from bayesreg.datasets import load_diabetes

HERE = Path(__file__).parent


def main():
    X, y = load_diabetes()
    table = X.copy()
    table["y"] = y
    table["y_binary"] = (y > y.median()).astype(int)
    table.to_csv(HERE / "diabetes.csv", index=False, float_format="%.17g")

    raw = sk_datasets.load_diabetes(scaled=False, as_frame=True)
    raw_table = raw.data.copy()
    raw_table["y"] = raw.target
    raw_table["y_binary"] = table["y_binary"]
    raw_table.to_csv(HERE / "diabetes_raw.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
