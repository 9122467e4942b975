"""Anneal from Python: dimod samplers (:mod:`anneal.dimod`) and an Optuna
sampler (:mod:`anneal.optuna`) over the Swift library's C interface."""

from ._lib import AnnealError, AnnealValueError, Model, library_path, version

__all__ = ["AnnealError", "AnnealValueError", "Model", "library_path", "version"]
__version__ = "0.1.0"
