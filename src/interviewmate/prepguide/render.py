"""Guide -> Markdown, and Guide -> one self-contained HTML page (Jinja2 with autoescaping, inline CSS)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from interviewmate.prepguide.model import Guide, NumberFact, OutlinePoint, SourceRef

TYPE_TITLES = {"technical": "Technical", "system_design": "System design", "behavioral": "Behavioral"}
TEMPLATE = Path(__file__).with_name("guide.html.j2")


def cite(sources: Sequence[SourceRef]) -> str:
    """Sources as `[`file:line`]` tags (the one place line numbers appear in the Markdown)."""
    return " ".join(f"[`{s.label}`]" for s in dict.fromkeys(sources))


def key_numbers(guide: Guide) -> tuple[list[NumberFact], list[NumberFact]]:
    """The quick reference's numbers (best first, one per table row: its cells share one context) and the
    rest."""
    key: list[NumberFact] = []
    rows: set[str] = set()
    for n in guide.numbers:
        if len(key) < guide.key_numbers and n.phrase not in rows:
            key.append(n)
            if "(columns:" in n.phrase:
                rows.add(n.phrase)
    return key, [n for n in guide.numbers if n not in key]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _point(p: OutlinePoint) -> str:
    tag = " *(phrased by the LLM from the cited passages)*" if p.generated else ""
    return f"- {p.text}{tag} {cite(p.sources)}".rstrip()


def render_markdown(guide: Guide) -> str:
    lines = [f"# Interview prep guide: {guide.project}", ""]
    if guide.role:
        lines += [f"Role: {guide.role.replace('_', ' ')}", ""]
    lines += ["## Quick reference", ""]
    how = " (phrased by the LLM from the cited sources)" if guide.pitch_generated else ""
    lines += [f"**Pitch{how}:** {guide.pitch} {cite(guide.pitch_sources)}".rstrip(), ""]
    lines += ["**Key numbers** (quoted verbatim from the project)", ""]
    key, more = key_numbers(guide)
    if key:
        lines += ["| Number | In context | Source |", "|---|---|---|"]
        lines += [f"| {_cell(n.value)} | {_cell(n.phrase)} | {cite([n.source])} |" for n in key]
    else:
        lines.append("No metrics, dataset sizes or latencies found in the README, docs or notebooks.")
    lines += [
        "",
        "**Stack:** "
        + (", ".join(f"{s.name} {cite(s.sources[:1])}" for s in guide.stack[:12]) or "none found"),
    ]
    lines += ["", "**Talking points**", ""] + [_point(p) for p in guide.talking_points]
    lines += ["", "## Likely questions", ""]
    for itype, title in TYPE_TITLES.items():
        qs = guide.questions_of(itype)
        if not qs:
            continue
        lines += [f"### {title}", ""]
        for q in qs:
            lines += [f"**Q: {q.text}**", "", f"*How to answer: {q.hint}*", ""]
            lines += [_point(p) for p in q.outline] + [""]
    lines += ["## Two-minute demo script", ""]
    for step in guide.demo:
        lines.append(
            f"- **{step.when[:1].upper() + step.when[1:]}**: {step.say} {cite(step.sources)}".rstrip()
        )
    lines += ["", "## Readiness checklist", ""]
    lines += [f"- [ ] {p.text} {cite(p.sources)}".rstrip() for p in guide.checklist]
    if guide.components:
        lines += ["", "## Components", ""]
        for c in guide.components:
            detail = f": {c.detail}" if c.detail else ""
            lines.append(f"- {c.kind} **{c.name}**{detail} {cite([c.source])}")
    if more:
        lines += ["", "## More numbers from the project", ""]
        lines += [f"- **{n.value}**: {n.phrase} {cite([n.source])}" for n in more]
    if guide.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in guide.notes]
    return "\n".join(lines) + "\n"


def render_html(guide: Guide) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    key, more = key_numbers(guide)
    return template.render(g=guide, type_titles=TYPE_TITLES, key=key, more=more)
