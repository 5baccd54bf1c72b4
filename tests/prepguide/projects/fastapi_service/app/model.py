"""ONNX sentiment model: tokenise, run, softmax."""

import numpy as np
import onnxruntime as ort


class SentimentModel:
    def __init__(self, path: str) -> None:
        self.session = ort.InferenceSession(path)

    def score(self, text: str) -> tuple[str, float]:
        logits = self.session.run(None, {"text": np.array([text])})[0][0]
        probs = np.exp(logits) / np.exp(logits).sum()
        return ("positive" if probs[1] > probs[0] else "negative"), float(probs.max())
