"""The generator's two prompts. Training (training/sft_data.py) and serving use exactly these builders."""

from __future__ import annotations

from collections.abc import Sequence

from interviewmate.domain import ChatMessage

SYSTEM = (
    "You are InterviewMate, an experienced interviewer for data, ML, AI and software roles. "
    "You write realistic, specific interview questions and strong, concise model answers."
)

ROLE_TITLES = {
    "data_scientist": "Data Scientist",
    "ml_engineer": "Machine Learning Engineer",
    "ai_engineer": "AI/LLM Engineer",
    "data_engineer": "Data Engineer",
    "backend_engineer": "Backend Software Engineer",
    "data_analyst": "Data Analyst",
}
TYPE_TITLES = {
    "technical": "technical",
    "coding": "coding (explain the approach, complexity and edge cases; no code)",
    "system_design": "system design",
    "behavioral": "behavioral",
}


def question_messages(
    role: str, skills: Sequence[str], interview_type: str, difficulty: str, n: int
) -> list[ChatMessage]:
    """Task (a): role, JD skills, type, difficulty, n -> n questions, one per numbered line."""
    skill_text = ", ".join(skills) if skills else "general"
    user = (
        f"Role: {ROLE_TITLES.get(role, role)}\nKey skills from the job description: {skill_text}\n"
        f"Interview type: {TYPE_TITLES.get(interview_type, interview_type)}\nDifficulty: {difficulty}\n"
        f"Write {n} interview question{'s' if n != 1 else ''}, one per numbered line."
    )
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def answer_messages(question: str, bullets: Sequence[str] = ()) -> list[ChatMessage]:
    """Task (b): a question (+ optional resume bullets) -> a strong reference answer."""
    user = f"Interview question: {question}\n"
    if bullets:
        listed = "\n".join(f"[{i}] {b}" for i, b in enumerate(bullets, start=1))
        user += f"The candidate's relevant resume bullets:\n{listed}\nUse them and cite them by number.\n"
    user += "Write a strong answer in 80-180 words."
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def format_question_list(questions: Sequence[str]) -> str:
    return "\n".join(f"{i}. {q}" for i, q in enumerate(questions, start=1))


def parse_question_list(text: str) -> list[str]:
    """Numbered or bulleted lines -> question texts (numbering stripped, empty lines dropped)."""
    import re

    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:\d+[.)]|[-*\u2022])\s*", "", line).strip()
        if line:
            out.append(line)
    return out
