"""Free-text role names ("Senior MLE", "backend dev") -> one of the six known roles."""

from __future__ import annotations

import re

from interviewmate.domain import Role
from interviewmate.errors import ConfigError
from interviewmate.models.embedder import Embedder

NEAREST_MIN_COSINE = 0.25  # below this a title is too far from every known role to guess
DESCRIPTIONS = {
    Role.DATA_SCIENTIST: "data scientist: statistics, experiments, modelling and product analytics",
    Role.ML_ENGINEER: "machine learning engineer: training, serving and operating ML models in production",
    Role.AI_ENGINEER: "AI engineer: LLM applications, RAG, agents, prompts, fine-tuning and evaluation",
    Role.DATA_ENGINEER: "data engineer: pipelines, warehouses, Spark, Kafka, orchestration and data quality",
    Role.BACKEND_ENGINEER: "backend software engineer: APIs, services, databases, distributed systems",
    Role.DATA_ANALYST: "data analyst: SQL, dashboards, business metrics and reporting",
}

ALIASES: dict[Role, tuple[str, ...]] = {
    Role.DATA_SCIENTIST: ("data scientist", "ds", "data science", "scientist", "applied scientist"),
    Role.ML_ENGINEER: ("ml engineer", "mle", "machine learning engineer", "machine learning", "ml"),
    Role.AI_ENGINEER: (
        "ai engineer",
        "llm engineer",
        "genai engineer",
        "ai",
        "llm",
        "applied ai",
        "prompt engineer",
    ),
    Role.DATA_ENGINEER: ("data engineer", "de", "data engineering", "analytics engineer", "etl developer"),
    Role.BACKEND_ENGINEER: (
        "backend engineer",
        "backend",
        "back end",
        "backend dev",
        "backend developer",
        "software engineer",
        "swe",
        "sde",
        "software developer",
    ),
    Role.DATA_ANALYST: ("data analyst", "analyst", "bi analyst", "business analyst", "product analyst", "da"),
}
_SENIORITY = re.compile(
    r"\b(junior|jr|mid|mid-level|senior|sr|staff|principal|lead|intern|entry[- ]level)\b\.?"
)


def resolve_role(text: str, embedder: Embedder | None = None) -> Role:
    """The known role a free-text title means: by name or alias first, else (with an embedder) the nearest
    role description; raises a ConfigError listing the roles when nothing is close."""
    clean = _SENIORITY.sub(" ", text.lower().replace("_", " ").replace("/", " "))
    clean = " ".join(re.sub(r"[^a-z ]", " ", clean).split())
    for role in Role:
        if clean == role.value.replace("_", " "):
            return role
    best: tuple[int, Role] | None = None
    for role, names in ALIASES.items():
        for name in names:
            if re.search(rf"\b{re.escape(name)}\b", clean) and (best is None or len(name) > best[0]):
                best = (len(name), role)
    if best is not None:
        return best[1]
    if embedder is not None and clean:
        roles = list(DESCRIPTIONS)
        sims = embedder.encode([DESCRIPTIONS[r] for r in roles]) @ embedder.encode([text])[0]
        i = int(sims.argmax())
        if float(sims[i]) >= NEAREST_MIN_COSINE:
            return roles[i]
    known = ", ".join(r.value for r in Role)
    raise ConfigError(f"role {text!r}: not a role I know; try one of {known}")
