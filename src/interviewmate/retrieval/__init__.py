"""Retrieval over a user's own resume bullets: the (fine-tuned) sentence encoder, query building, the vector
index and grounding checks."""
