"""Packaged pretrained weights (offline) and the LLM backends that run them."""

from interviewmate.models.registry import REGISTRY, ModelSpec, get_spec, locate_weights

__all__ = ["REGISTRY", "ModelSpec", "get_spec", "locate_weights"]
