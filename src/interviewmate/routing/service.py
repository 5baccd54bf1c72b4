"""The router as the app uses it: the shipped router, explicit choices first, low confidence surfaced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewmate.errors import ModelUnavailableError
from interviewmate.routing.model import Router, RouteResult, load_router

PACKAGED_ROUTER = Path(__file__).resolve().parents[1] / "models" / "adapters" / "router"
LOW_CONFIDENCE = 0.6  # below this the UI says the router is unsure and asks the user to pick


def load_default_router(router_dir: Path | None = None) -> Router:
    from interviewmate.models.loaders import embedding_model_dir

    folder = router_dir or PACKAGED_ROUTER
    if not (folder / "heads.safetensors").exists():
        raise ModelUnavailableError(f"no trained router at {folder}: run `interviewmate train router`")
    return load_router(folder, embedding_model_dir("all-minilm-l6-v2"))


@dataclass(frozen=True)
class ResolvedRoute:
    route: RouteResult
    interview_type: str
    difficulty: str
    type_source: str  # "user" | "router"
    difficulty_source: str
    low_confidence: list[str]

    def to_json(self) -> dict[str, object]:
        return self.route.to_json() | {
            "interview_type": self.interview_type,
            "difficulty": self.difficulty,
            "source": {"interview_type": self.type_source, "difficulty": self.difficulty_source},
            "low_confidence": self.low_confidence,
        }


def resolve_route(
    router: Router,
    role: str,
    request: str,
    jd: str = "",
    interview_type: str | None = None,
    difficulty: str | None = None,
) -> ResolvedRoute:
    """Explicit user choices always win; the router fills the rest and says when it is unsure."""
    route = router.route(role, request, jd)
    low = []
    if interview_type is None and route.confidence_type < LOW_CONFIDENCE:
        low.append("interview_type")
    if difficulty is None and route.confidence_difficulty < LOW_CONFIDENCE:
        low.append("difficulty")
    return ResolvedRoute(
        route,
        interview_type or route.interview_type,
        difficulty or route.difficulty,
        "user" if interview_type else "router",
        "user" if difficulty else "router",
        low,
    )
