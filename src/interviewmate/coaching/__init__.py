"""The coach: prompts, question generation, answer scoring, sessions."""
