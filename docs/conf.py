"""Sphinx configuration of the bayesreg documentation.

Build with ``make docs`` (warnings are errors).  The notebooks in ``../notebooks``
are stored without outputs; they are copied into ``docs/notebooks/`` (generated,
not in git) and rendered by myst-nb:

* by default myst-nb executes them during the build (``nb_execution_mode =
  "force"``), and a cell error fails the build;
* with ``BAYESREG_EXECUTED_NOTEBOOKS=<dir>`` the already executed copies in
  ``<dir>`` are rendered as they are (``"off"``).  The CI test
  ``tests/test_notebooks.py`` executes every notebook once with nbclient and
  then builds the docs this way, so no notebook runs twice.
"""

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # document the checkout, not an installed copy

import bayesreg  # noqa: E402

project = "bayesreg"
author = "the bayesreg developers"
copyright = "2026, the bayesreg developers"
release = version = bayesreg.__version__

extensions = [
    "myst_nb",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax 3 from the sphinx-mathjax-offline wheel (docs extra), copied into
    # _static/mathjax/ of the built site, instead of a CDN: the pages render maths offline.
    "sphinx-mathjax-offline",
]
# No intersphinx: the build must work offline.
mathjax_path = "mathjax/tex-chtml.js"  # relative to _static/; what sphinx-mathjax-offline copies

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# --- MyST and myst-nb -------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3


def _copy_notebooks():
    """Copy the notebooks to render into docs/notebooks/; return the execution mode."""
    executed = os.environ.get("BAYESREG_EXECUTED_NOTEBOOKS")
    source = Path(executed) if executed else ROOT / "notebooks"
    target = DOCS / "notebooks"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for notebook in sorted(source.glob("*.ipynb")):
        shutil.copy2(notebook, target / notebook.name)
    return "off" if executed else "force"


nb_execution_mode = _copy_notebooks()
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_timeout = 900
nb_execution_show_tb = True
nb_merge_streams = True

# --- API reference ----------------------------------------------------------
def _write_family_list():
    """Write families.rst (not in git): every prior family of the registry, from the classes.

    A family added in its own module of bayesreg.model (see adding_a_prior.md)
    reaches the API reference with no edit of any docs page.
    """
    from bayesreg.model.registry import prior_classes

    names = sorted(f"{cls.__module__}.{name}" for name, cls in prior_classes().items())
    lines = [
        "Every family",
        "============",
        "",
        "Every prior and hyperprior family the registry (:mod:`bayesreg.model.registry`)",
        "finds when these pages are built, by module: the top-level names",
        "(``br.Laplace`` ...) are these classes, and a family added in its own module",
        "(:doc:`adding_a_prior`) appears here by itself.",
        "",
        ".. currentmodule:: bayesreg",
        "",
        ".. autosummary::",
        "   :toctree: generated",
        "   :nosignatures:",
        "",
    ] + [f"   {name.removeprefix('bayesreg.')}" for name in names]
    (DOCS / "families.rst").write_text("\n".join(lines) + "\n")


_write_family_list()
autosummary_generate = True
autodoc_default_options = {"members": True}
numpydoc_show_class_members = False  # the autosummary class template lists them
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- HTML ---------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "bayesreg"
html_static_path = ["_static"]  # _static/images/ holds the figures the README shows too
html_css_files = ["bayesreg.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"**": ["sidebar-nav-bs"]}
html_show_sourcelink = False


def _skip_sklearn_members(app, what, name, obj, skip, options):
    """Hide what scikit-learn's base classes define (get_params, score, set_*_request...).

    Their docstrings point into scikit-learn's own docs, and they behave as documented
    there; our classes list only what bayesreg defines, inherited ones included.
    """
    module = getattr(obj, "__module__", None) or ""
    if module.startswith("sklearn.") or (name.startswith("set_") and name.endswith("_request")):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_sklearn_members)
