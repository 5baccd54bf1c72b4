"""HTTP entry point: POST /predict scores reviews, GET /health for the load balancer."""

from fastapi import FastAPI
from pydantic import BaseModel

from app.model import SentimentModel

app = FastAPI(title="Sentiment API")
model = SentimentModel("model.onnx")


class Review(BaseModel):
    text: str


@app.post("/predict")
def predict(review: Review) -> dict[str, float | str]:
    label, confidence = model.score(review.text)
    return {"label": label, "confidence": confidence}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
