# Reference fits of R glmnet on the diabetes data, for bayesreg's mapping tests.
#
# Reads diabetes.csv / diabetes_raw.csv (written by export_diabetes.py) and writes
# glmnet_reference.json: for each case the arguments given to glmnet and the
# coefficients it returns, plus R's and glmnet's versions.  The tests never call R;
# they read the JSON.  Rerun from the repository root with
#     Rscript validation/glmnet/record_glmnet.R
# (Debian 12: apt-get install r-cran-glmnet).

suppressPackageStartupMessages(library(glmnet))

here <- "validation/glmnet"
std <- read.csv(file.path(here, "diabetes.csv"))
raw <- read.csv(file.path(here, "diabetes_raw.csv"))
features <- c("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
data_sets <- list(
  standardised = list(X = as.matrix(std[, features]), y = std$y, y_binary = std$y_binary),
  raw = list(X = as.matrix(raw[, features]), y = raw$y, y_binary = raw$y_binary)
)

num <- function(x) {
  if (is.null(x)) return("null")
  s <- sprintf("%.17g", x)
  if (length(x) == 1) s else paste0("[", paste(s, collapse = ", "), "]")
}
str_ <- function(x) paste0('"', x, '"')

# glmnet stops when max_j xv_j * (change of w_j)^2 < thresh on the standardised-y scale, so
# the coefficients are converged to about sqrt(thresh) * sd(y): thresh = 1e-14 leaves errors
# of ~1e-5 on diabetes. 1e-24 converges them to ~1e-9.
thresh <- 1e-24

# one glmnet fit at a single lambda
fit_case <- function(id, family, data, alpha, lambda, standardize = FALSE,
                     penalty_factor = NULL) {
  d <- data_sets[[data]]
  y <- if (family == "binomial") d$y_binary else d$y
  pf <- if (is.null(penalty_factor)) rep(1, ncol(d$X)) else penalty_factor
  fit <- glmnet(d$X, y, family = family, alpha = alpha, lambda = lambda,
                standardize = standardize, penalty.factor = pf,
                thresh = thresh, maxit = 1e7)
  beta <- as.numeric(coef(fit, s = lambda, exact = FALSE))
  # glmnet's own largest lambda (first of its default path) for the same problem
  path <- glmnet(d$X, y, family = family, alpha = alpha, standardize = standardize,
                 penalty.factor = pf)
  paste0(
    "    {",
    '"id": ', str_(id), ", ",
    '"family": ', str_(family), ", ",
    '"data": ', str_(data), ", ",
    '"y": ', str_(if (family == "binomial") "y_binary" else "y"), ", ",
    '"alpha": ', num(alpha), ", ",
    '"lambda": ', num(lambda), ", ",
    '"standardize": ', if (standardize) "true" else "false", ", ",
    '"penalty_factor": ', num(penalty_factor), ", ",
    '"intercept": ', num(beta[1]), ", ",
    '"coef": ', num(beta[-1]), ", ",
    '"lambda_max": ', num(path$lambda[1]),
    "}"
  )
}

pf <- c(0, 1, 1, 2, 1, 1, 0.5, 1, 1, 3)
# strictly positive factors: a prior with one finite scale per feature (issue 18); they sum to
# 11.75, not p = 10, so the fits also show glmnet's rescaling of the factors to sum to p
pf_pos <- c(0.25, 1, 1, 2, 1, 1, 0.5, 1, 1, 3)
cases <- list(
  # Gaussian, standardize = FALSE: the mapping tests
  list("gaussian_lasso_l1", "gaussian", "standardised", 1, 1),
  list("gaussian_lasso_l5", "gaussian", "standardised", 1, 5),
  list("gaussian_lasso_l20", "gaussian", "standardised", 1, 20),
  list("gaussian_ridge_l5", "gaussian", "standardised", 0, 5),
  list("gaussian_ridge_l50", "gaussian", "standardised", 0, 50),
  list("gaussian_enet05_l1", "gaussian", "standardised", 0.5, 1),
  list("gaussian_enet05_l5", "gaussian", "standardised", 0.5, 5),
  list("gaussian_enet02_l10", "gaussian", "standardised", 0.2, 10),
  # binomial, standardize = FALSE
  list("binomial_lasso_l001", "binomial", "standardised", 1, 0.01),
  list("binomial_lasso_l005", "binomial", "standardised", 1, 0.05),
  list("binomial_ridge_l001", "binomial", "standardised", 0, 0.01),
  list("binomial_ridge_l01", "binomial", "standardised", 0, 0.1),
  list("binomial_enet05_l002", "binomial", "standardised", 0.5, 0.02),
  # standardize = TRUE on the raw columns (recorded for later issues)
  list("gaussian_lasso_l1_standardize", "gaussian", "raw", 1, 1, TRUE),
  list("gaussian_ridge_l5_standardize", "gaussian", "raw", 0, 5, TRUE),
  list("gaussian_enet05_l1_standardize", "gaussian", "raw", 0.5, 1, TRUE),
  list("binomial_lasso_l001_standardize", "binomial", "raw", 1, 0.01, TRUE),
  list("binomial_enet05_l002_standardize", "binomial", "raw", 0.5, 0.02, TRUE),
  # penalty.factor (recorded for later issues; glmnet rescales it to sum to p)
  list("gaussian_enet05_l1_pf", "gaussian", "standardised", 0.5, 1, FALSE, pf),
  list("gaussian_lasso_l1_pf", "gaussian", "standardised", 1, 1, FALSE, pf),
  list("gaussian_enet05_l1_pf_standardize", "gaussian", "raw", 0.5, 1, TRUE, pf),
  list("binomial_enet05_l002_pf", "binomial", "standardised", 0.5, 0.02, FALSE, pf),
  # positive penalty.factor: per-feature prior scales (Laplace: alpha = 1, Normal: alpha = 0)
  list("gaussian_lasso_l1_pfpos", "gaussian", "standardised", 1, 1, FALSE, pf_pos),
  list("gaussian_lasso_l5_pfpos", "gaussian", "standardised", 1, 5, FALSE, pf_pos),
  list("gaussian_ridge_l5_pfpos", "gaussian", "standardised", 0, 5, FALSE, pf_pos),
  list("binomial_lasso_l001_pfpos", "binomial", "standardised", 1, 0.01, FALSE, pf_pos),
  list("binomial_ridge_l001_pfpos", "binomial", "standardised", 0, 0.01, FALSE, pf_pos)
)
lines <- vapply(cases, function(case) do.call(fit_case, case), "")

deb <- tryCatch(
  system("dpkg-query -W -f='${Version}' r-cran-glmnet", intern = TRUE),
  error = function(e) "unknown"
)
out <- c(
  "{",
  paste0('  "r_version": ', str_(R.version.string), ","),
  paste0('  "glmnet_version": ', str_(as.character(packageVersion("glmnet"))), ","),
  paste0('  "debian_package": ', str_(paste("r-cran-glmnet", deb)), ","),
  '  "script": "validation/glmnet/record_glmnet.R",',
  '  "settings": "thresh = 1e-24, maxit = 1e7, one lambda per fit; coef = (intercept, age, ..., s6) on the original scale of X",',
  paste0('  "features": [', paste(vapply(features, str_, ""), collapse = ", "), "],"),
  '  "fits": [',
  paste(lines, collapse = ",\n"),
  "  ]",
  "}"
)
writeLines(out, file.path(here, "glmnet_reference.json"))
