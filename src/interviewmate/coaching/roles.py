"""Free-text role names ("Senior MLE", "backend dev") -> one of the six known roles."""

from __future__ import annotations

import re

from interviewmate.domain import Role
from interviewmate.errors import ConfigError

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


def resolve_role(text: str) -> Role:
    """The known role a free-text title means; raises a ConfigError listing the roles when none fits."""
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
    if best is None:
        known = ", ".join(r.value for r in Role)
        raise ConfigError(f"--role {text!r}: not a role I know; try one of {known}")
    return best[1]
