"""Train the churn model on billing history and report its AUC."""

import argparse
import os

import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from churn.features import build_features


def train(path: str, trees: int = 400) -> float:
    frame = build_features(pd.read_csv(path))
    x_train, x_test, y_train, y_test = train_test_split(frame.drop(columns="churned"), frame.churned)
    model = xgb.XGBClassifier(n_estimators=trees, max_depth=6)
    model.fit(x_train, y_train)
    model.save_model(os.path.join("models", "churn.json"))
    return roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train the churn model")
    parser.add_argument("--data", required=True)
    print(train(parser.parse_args().data))
