"""The numbers behind the lessons: exact one-coefficient posteriors and norm-constrained fits."""

from . import constrained, shrinkage

__all__ = ["constrained", "shrinkage"]
