"""Router: a request (role, free text, optional JD) -> interview type and difficulty, with confidences."""
