"""Plain typed objects of the prep guide: the project as read, the facts extracted from it, the guide."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: a file relative to the project root, a 1-based line, and for notebooks the
    1-based cell (the line is then within the cell)."""

    file: str
    line: int
    cell: int | None = None

    @property
    def label(self) -> str:
        if self.cell is not None:
            return f"{self.file} cell {self.cell}:{self.line}"
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class TextBlock:
    """A run of lines of one kind from one file: a whole text file, or one notebook cell (or its output)."""

    file: str
    kind: str  # "doc" (markdown/rst/txt, notebook markdown) | "code" | "output" (notebook) | "config"
    text: str
    cell: int | None = None

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.file, line, self.cell)


@dataclass
class Project:
    """The text the scanner could read, within its caps, and what it skipped."""

    name: str
    blocks: list[TextBlock] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file read, relative
    notes: list[str] = field(default_factory=list)  # caps hit, files skipped

    def text_of(self, kinds: tuple[str, ...]) -> list[TextBlock]:
        return [b for b in self.blocks if b.kind in kinds]


@dataclass(frozen=True)
class NumberFact:
    """A number quoted verbatim from the project: `value` is the exact text (with its unit), `phrase` the
    sentence around it."""

    value: str
    phrase: str
    source: SourceRef
    score: float  # how metric-like it looks; higher first


@dataclass(frozen=True)
class StackItem:
    name: str
    sources: tuple[SourceRef, ...]  # where it is imported or declared (first few)
    declared: bool  # in a dependency file, not only imported


@dataclass(frozen=True)
class Component:
    kind: str  # "module" | "console script" | "main block" | "cli" | "web app" | "route" | "notebook"
    name: str
    source: SourceRef
    detail: str = ""


@dataclass(frozen=True)
class Overview:
    title: str
    summary: str  # the first paragraphs of the README (or the first doc), verbatim
    source: SourceRef | None


@dataclass(frozen=True)
class Passage:
    """A chunk of project text that backs an outline point."""

    text: str  # what is embedded
    source: SourceRef
    score: float = 0.0
    display: str = ""  # what an outline shows, when not the text itself (a summary of a code window)

    @property
    def shown(self) -> str:
        return self.display or self.text


@dataclass(frozen=True)
class OutlinePoint:
    text: str
    sources: tuple[SourceRef, ...]
    generated: bool = False  # phrased by the LLM (from the cited passages) rather than quoted


@dataclass(frozen=True)
class GuideQuestion:
    interview_type: str  # "technical" | "system_design" | "behavioral"
    text: str
    hint: str  # how to structure the answer
    outline: tuple[OutlinePoint, ...]


@dataclass(frozen=True)
class DemoStep:
    when: str  # e.g. "first twenty seconds"
    say: str
    sources: tuple[SourceRef, ...] = ()


@dataclass
class Guide:
    project: str
    role: str | None
    pitch: str
    pitch_sources: tuple[SourceRef, ...]
    pitch_generated: bool
    overview: Overview
    numbers: list[NumberFact]
    stack: list[StackItem]
    components: list[Component]
    talking_points: list[OutlinePoint]
    questions: list[GuideQuestion]
    demo: list[DemoStep]
    checklist: list[OutlinePoint]
    notes: list[str] = field(default_factory=list)  # caps hit, LLM sentences dropped, ...
    key_numbers: int = 6  # how many numbers the quick reference shows

    def questions_of(self, interview_type: str) -> list[GuideQuestion]:
        return [q for q in self.questions if q.interview_type == interview_type]
