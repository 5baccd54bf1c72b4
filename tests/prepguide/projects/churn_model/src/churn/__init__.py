"""Churn prediction for subscription customers."""
