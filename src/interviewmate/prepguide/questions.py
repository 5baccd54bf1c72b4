"""Likely interview questions about the project, per type, built from what was extracted (no LLM): each one
names something real in the project (a number, a library, a component)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewmate.prepguide.model import Component, NumberFact, Overview, StackItem

TYPES = ("technical", "system_design", "behavioral")
HINTS = {
    "technical": "Approach, why it works, how you verified it. Quote numbers only as the project states them.",
    "system_design": "Requirements first, then components and data flow, then bottlenecks and trade-offs.",
    "behavioral": "STAR: situation, task, action, result. End on a result the project documents.",
}
ROLE_QUESTIONS = {
    "data_scientist": "How did you validate the results, and what would make you distrust them?",
    "ml_engineer": "How would you retrain, version and monitor this model once it is in production?",
    "ai_engineer": "How do you evaluate the quality of the outputs, and how would you catch a regression?",
    "data_engineer": "How does data flow through the project, and how do you check its quality on the way?",
    "backend_engineer": "How does it handle bad input, timeouts and concurrent requests?",
    "data_analyst": "Which metric matters most to the people who use this, and how would you present it?",
}


TRIVIAL_ROUTES = {"/", "/health", "/healthz", "/ping", "/status", "/ready", "/live"}


@dataclass(frozen=True)
class Draft:
    interview_type: str
    text: str


def entry_component(components: list[Component]) -> Component | None:
    """The thing to run in a demo: a route that does something, a console script, a CLI command, a web app, a
    CLI, a main block, a notebook."""
    for c in components:
        if c.kind == "route" and c.name.split(" ")[-1] not in TRIVIAL_ROUTES:
            return c
    for kind in ("console script", "cli command", "web app", "route", "cli", "main block", "notebook"):
        for c in components:
            if c.kind == kind:
                return c
    return None


def draft_questions(
    overview: Overview,
    numbers: list[NumberFact],
    stack: list[StackItem],
    components: list[Component],
    role: str | None,
) -> list[Draft]:
    title = overview.title
    out: list[Draft] = []
    if numbers:
        out.append(
            Draft(
                "technical",
                f"You report \u201c{numbers[0].phrase.rstrip('.')}\u201d. How was that measured, and against what baseline?",
            )
        )
    if len(stack) >= 2:
        out.append(
            Draft(
                "technical",
                f"Why {stack[0].name} and {stack[1].name}? What alternatives did you consider?",
            )
        )
    elif stack:
        out.append(Draft("technical", f"Why {stack[0].name}? What alternatives did you consider?"))
    entry = entry_component(components)
    modules = [c for c in components if c.kind == "module"]
    if entry is not None and entry.kind == "route":
        out.append(Draft("technical", f"Walk me through what happens when a client calls {entry.name}."))
    elif entry is not None and entry.kind in ("console script", "cli command"):
        out.append(Draft("technical", f"What happens, step by step, when you run `{entry.name}`?"))
    elif entry is not None and entry.kind == "main block":
        out.append(Draft("technical", f"What does `{entry.detail}` do, step by step?"))
    elif entry is not None and entry.kind in ("web app", "cli"):
        out.append(Draft("technical", f"Walk me through one request to the {entry.name}, end to end."))
    elif modules:
        out.append(Draft("technical", f"What does {modules[0].name} do, and what was hardest to get right?"))
    else:
        out.append(Draft("technical", f"Walk me through the analysis in {title}: data, method, result."))
    if role in ROLE_QUESTIONS:
        out.append(Draft("technical", ROLE_QUESTIONS[role]))
    out += [
        Draft(
            "system_design",
            f"Sketch the architecture of {title}: which parts exist and how does data flow between them?",
        ),
        Draft("system_design", "How would it cope with ten times the data or traffic? What breaks first?"),
        Draft("system_design", "How would you deploy and monitor it, and what would you alert on?"),
        Draft("behavioral", f"Why did you build {title}, and who is it for?"),
        Draft(
            "behavioral", "Tell me about the hardest problem you hit in this project and how you solved it."
        ),
        Draft("behavioral", "What would you do differently if you started this project again?"),
    ]
    return out
