"""Evaluation: text, retrieval and classification metrics, significance tests, error analysis, reports."""
