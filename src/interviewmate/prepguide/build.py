"""Project -> Guide: extract (overview, numbers, stack, components), draft questions, retrieve passages per
question, optionally let the LLM phrase the pitch and outlines (checked), assemble the quick reference, demo
script and checklist."""

from __future__ import annotations

import re
import time

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError
from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder
from interviewmate.prepguide.components import extract_components
from interviewmate.prepguide.grounding import check_generated, sentences, stems, word_overlap
from interviewmate.prepguide.model import (
    Component,
    DemoStep,
    Guide,
    GuideQuestion,
    NumberFact,
    OutlinePoint,
    Overview,
    Passage,
    Project,
    StackItem,
)
from interviewmate.prepguide.numbers import extract_numbers
from interviewmate.prepguide.overview import clip_sentences, extract_overview
from interviewmate.prepguide.passages import project_passages, rank_passages
from interviewmate.prepguide.prompts import (
    OUTLINE_PARAMS,
    PITCH_PARAMS,
    outline_messages,
    parse_bullets,
    pitch_messages,
)
from interviewmate.prepguide.questions import HINTS, Draft, draft_questions, entry_component
from interviewmate.prepguide.stack import extract_stack

KEY_NUMBERS = 6
ECHO_OVERLAP = 0.6  # an outline point sharing this much of its wording with the question only repeats it
LLM_BUDGET_S = (
    120.0  # after this the remaining outlines stay extractive (SmolLM2 on 2 busy cores: ~15 s a call)
)
EXCERPT_CHARS = 240
PASSAGES_PER_QUESTION = 3


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def extractive_pitch(overview: Overview, numbers: list[NumberFact], stack: list[StackItem]) -> OutlinePoint:
    parts = [
        overview.title + ": " + clip_sentences(overview.summary, 300) if overview.summary else overview.title
    ]
    sources = [overview.source] if overview.source else []
    if stack:
        parts.append("Built with " + ", ".join(s.name for s in stack[:4]) + ".")
        sources.append(stack[0].sources[0])
    if numbers:
        parts.append("Result: " + numbers[0].phrase.rstrip(".") + ".")
        sources.append(numbers[0].source)
    return OutlinePoint(" ".join(parts), tuple(sources))


class _Writer:
    """The LLM plus its checks and its time budget; counts what it dropped. None backend = extractive only."""

    def __init__(self, backend: LLMBackend | None, embedder: Embedder, budget_s: float) -> None:
        self.backend, self.embedder, self.budget_s = backend, embedder, budget_s
        self.invented = self.unsupported = 0
        self.failed: str | None = None
        self.out_of_time = False
        self.started = time.monotonic()

    def _ask(self, messages: list[ChatMessage], params: GenerationParams) -> str:
        if self.backend is None or self.failed:
            return ""
        if time.monotonic() - self.started > self.budget_s:
            self.out_of_time = True
            return ""
        try:
            return self.backend.generate(messages, params)
        except BackendError as exc:
            self.failed = str(exc)
            return ""

    def checked(self, parts: list[str], sources: list[str]) -> list[str]:
        result = check_generated(parts, sources, self.embedder)
        self.invented += result.invented_numbers
        self.unsupported += result.unsupported
        return result.kept

    def pitch(
        self, overview: Overview, numbers: list[NumberFact], stack: list[StackItem], role: str | None
    ) -> str:
        text = self._ask(pitch_messages(overview, numbers, stack, role), PITCH_PARAMS)
        sources = [overview.title, overview.summary, *[n.phrase for n in numbers[:3]]]
        sources += [", ".join(s.name for s in stack[:6])] if stack else []
        kept = self.checked(sentences(text), [s for s in sources if s])
        return " ".join(kept) if len(" ".join(kept).split()) >= 8 else ""

    def outline(self, question: str, passages: list[Passage]) -> list[str]:
        if not passages:
            return []
        text = self._ask(outline_messages(question, passages), OUTLINE_PARAMS)
        asked = stems(question)
        bullets = [
            b for b in parse_bullets(text) if "?" not in b and word_overlap(b, asked) < ECHO_OVERLAP
        ]  # a question back, or the question reworded, is no answer point
        self.unsupported += len(parse_bullets(text)) - len(bullets)
        return self.checked(bullets, [p.text for p in passages])


def _outline(
    draft: Draft, passages: list[Passage], numbers: list[NumberFact], writer: _Writer
) -> GuideQuestion:
    refs = tuple(p.source for p in passages)
    points = [OutlinePoint(b, refs, generated=True) for b in writer.outline(draft.text, passages)]
    points += [OutlinePoint(excerpt(p.shown), (p.source,)) for p in passages]
    if numbers and draft.interview_type == "behavioral":
        points.append(OutlinePoint("Result to quote: " + numbers[0].phrase, (numbers[0].source,)))
    return GuideQuestion(draft.interview_type, draft.text, HINTS[draft.interview_type], tuple(points))


def talking_points(
    overview: Overview, numbers: list[NumberFact], stack: list[StackItem], components: list[Component]
) -> list[OutlinePoint]:
    out = []
    if numbers:
        out.append(OutlinePoint("Result: " + numbers[0].phrase, (numbers[0].source,)))
    elif overview.summary and overview.source:
        out.append(OutlinePoint("What it does: " + clip_sentences(overview.summary, 200), (overview.source,)))
    if stack:
        out.append(
            OutlinePoint(
                "Stack: " + ", ".join(s.name for s in stack[:5]), tuple(s.sources[0] for s in stack[:3])
            )
        )
    entry = entry_component(components)
    parts = [c for c in components if c.kind in ("route", "console script", "cli command", "web app")][:4]
    if parts:
        out.append(
            OutlinePoint(
                "How it is used: " + "; ".join(f"{c.kind} {c.name}" for c in parts),
                tuple(c.source for c in parts),
            )
        )
    elif entry is not None:
        out.append(OutlinePoint(f"How it is used: {entry.kind} {entry.name}", (entry.source,)))
    else:
        modules = [c for c in components if c.kind == "module"][:4]
        if modules:
            out.append(
                OutlinePoint(
                    "Main parts: " + ", ".join(c.name for c in modules), tuple(c.source for c in modules)
                )
            )
    if len(out) < 3 and len(numbers) > 1:
        out.append(OutlinePoint("Also measured: " + numbers[1].phrase, (numbers[1].source,)))
    return out[:3]


def _run_line(entry: Component | None) -> OutlinePoint:
    if entry is None:
        return OutlinePoint("Open the README and show the main file; say what each part does.", ())
    how = {
        "route": f"Start the app and call {entry.name}",
        "console script": f"Run `{entry.name}` ({entry.detail})",
        "cli command": f"Run the `{entry.name}` command",
        "web app": f"Start the {entry.name} app ({entry.detail}) and open it",
        "cli": f"Run the {entry.name} with --help, then one real command",
        "main block": f"Run `{entry.detail}`",
        "notebook": f"Open {entry.name} and run it top to bottom",
    }[entry.kind]
    return OutlinePoint(how + "; narrate what it does as it runs.", (entry.source,))


_NEXT = re.compile(r"\b(future work|todo|next steps?|limitations?|roadmap|known issues?)\b", re.IGNORECASE)


def demo_script(
    pitch: OutlinePoint, numbers: list[NumberFact], components: list[Component], passages: list[Passage]
) -> list[DemoStep]:
    run = _run_line(entry_component(components))
    steps = [
        DemoStep("first twenty seconds: the problem", pitch.text, pitch.sources),
        DemoStep("next thirty seconds: run it", run.text, run.sources),
    ]
    if numbers:
        shown = list({n.phrase: n for n in reversed(numbers[:3])}.values())[::-1][:2]
        steps.append(
            DemoStep(
                "next forty seconds: the result",
                " Then: ".join(n.phrase for n in shown),
                tuple(n.source for n in shown),
            )
        )
    else:
        steps.append(
            DemoStep(
                "next forty seconds: the result", "Show the output of the run and say how you checked it."
            )
        )
    later = next((p for p in passages if _NEXT.search(p.text)), None)
    if later is not None:
        steps.append(DemoStep("last thirty seconds: what is next", excerpt(later.text, 200), (later.source,)))
    else:
        steps.append(
            DemoStep(
                "last thirty seconds: what is next", "Name one limitation and the next step you would take."
            )
        )
    return steps


def checklist(
    project: Project, numbers: list[NumberFact], stack: list[StackItem], components: list[Component]
) -> list[OutlinePoint]:
    out = [OutlinePoint("Say the pitch out loud, without notes, in under thirty seconds.", ())]
    for n in list({n.phrase: n for n in reversed(numbers[:4])}.values())[::-1]:
        out.append(OutlinePoint(f"Know how {n.value} was computed and on what data: {n.phrase}", (n.source,)))
    if not numbers:
        out.append(
            OutlinePoint(
                "The project states no metrics: prepare how you measured success (and add it to the README).",
                (),
            )
        )
    entry = entry_component(components)
    if entry is not None:
        out.append(OutlinePoint(f"Run the {entry.kind} {entry.name} on a clean machine before the interview.",
                                (entry.source,)))  # fmt: skip
    if stack:
        out.append(OutlinePoint("Say why you chose " + ", ".join(s.name for s in stack[:5]) + ".", ()))
    if not any(re.search(r"(^|/)(tests?/|test_)", p) for p in project.paths):
        out.append(OutlinePoint("No tests found: be ready to say how you checked that it works.", ()))
    out.append(
        OutlinePoint("Prepare one story of something that failed in this project and what you changed.", ())
    )
    out.append(OutlinePoint("Have the repository open at the files this guide cites.", ()))
    return out


def build_guide(
    project: Project,
    embedder: Embedder,
    backend: LLMBackend | None = None,
    role: str | None = None,
    llm_budget_s: float = LLM_BUDGET_S,
) -> Guide:
    """The whole guide. With a backend the LLM phrases the pitch and outlines (until llm_budget_s is spent);
    its sentences that quote a number not in their sources, or stray from the passages they were written
    from, are dropped and counted in notes."""
    overview = extract_overview(project)
    numbers = extract_numbers(project)
    stack = extract_stack(project)
    components = extract_components(project)
    passages = project_passages(project)
    drafts = draft_questions(overview, numbers, stack, components, role)
    ranked = rank_passages([d.text for d in drafts], passages, embedder, PASSAGES_PER_QUESTION)
    writer = _Writer(backend, embedder, llm_budget_s)

    fallback = extractive_pitch(overview, numbers, stack)
    generated = writer.pitch(overview, numbers, stack, role) if backend is not None else ""
    pitch = OutlinePoint(generated, fallback.sources, generated=True) if generated else fallback
    questions = [_outline(d, r, numbers, writer) for d, r in zip(drafts, ranked, strict=True)]

    notes = list(project.notes)
    if writer.failed:
        notes.append(f"the LLM failed ({writer.failed}); the rest of the guide is extractive")
    if writer.out_of_time:
        notes.append(
            f"stopped asking the LLM after {llm_budget_s:.0f} s; the remaining outlines are extractive"
        )
    if writer.invented:
        notes.append(
            f"dropped {writer.invented} generated sentence(s) that quoted a number not found in its sources"
        )
    if writer.unsupported:
        notes.append(
            f"dropped {writer.unsupported} generated sentence(s) not supported by the cited passages"
        )
    if backend is not None and not generated and not writer.failed:
        notes.append("the generated pitch did not pass the checks; the pitch is quoted from the README")
    return Guide(
        project=overview.title,
        role=role,
        pitch=pitch.text,
        pitch_sources=pitch.sources,
        pitch_generated=pitch.generated,
        overview=overview,
        numbers=numbers,
        stack=stack,
        components=components,
        talking_points=talking_points(overview, numbers, stack, components),
        questions=questions,
        demo=demo_script(pitch, numbers, components, passages),
        checklist=checklist(project, numbers, stack, components),
        notes=notes,
        key_numbers=KEY_NUMBERS,
    )
