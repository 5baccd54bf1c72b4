"""Command line: train and predict."""

import typer

from churn.train import train as train_model

app = typer.Typer(help="Churn predictor")


@app.command()
def train(data: str, trees: int = 400) -> None:
    """Train on a billing CSV and print the held-out AUC."""
    print(train_model(data, trees))


@app.command()
def predict(data: str) -> None:
    """Score customers and write weekly risk scores."""
    print(data)
