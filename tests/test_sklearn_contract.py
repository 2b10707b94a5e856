"""scikit-learn's own estimator checks on every MAP estimator we ship."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from bayesreg import ElasticNet, Laplace, MAPClassifier, MAPRegressor, Normal


@parametrize_with_checks(
    [
        MAPRegressor(Normal(scale=1.0)),
        MAPRegressor(Laplace(scale=1.0)),
        MAPRegressor(ElasticNet(scale=1.0, l1_ratio=0.5)),
        MAPRegressor(Laplace(scale=1.0), sigma=1.0),
        MAPClassifier(Normal(scale=1.0)),
        MAPClassifier(Laplace(scale=1.0)),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
