"""Notebook views (ipywidgets 8): controls -> bayesreg's compute -> bayesreg's plots.

Each view is an ``ipywidgets.VBox``: put it as the last expression of a cell
(or pass it to ``display``) in JupyterLab, Notebook 7 or VS Code.  Views never
display themselves, draw with matplotlib into ``Image`` widgets (no front-end
extension beyond ipywidgets), expose their widgets in ``controls`` and what
they show in ``state``, and report bad input inside the widget area.
"""

from .comparison import CoefficientComparison
from .explorer import PriorScaleExplorer
from .shrinkage import ShrinkageDemo1D

__all__ = ["CoefficientComparison", "PriorScaleExplorer", "ShrinkageDemo1D"]
