"""Billing and usage features per customer."""

import pandas as pd


def build_features(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["tenure_months"] = frame["days_active"] // 30
    frame["late_payments"] = frame["late_payment_count"].clip(upper=12)
    return frame
