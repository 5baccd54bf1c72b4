"""`interviewmate data stats`: the numbers and plots of the dataset card, computed from the files."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interviewmate.data.dedupe import nearest_neighbour_similarity
from interviewmate.data.io import Loaded
from interviewmate.data.split import SPLITS, Splits
from interviewmate.data.text import words
from interviewmate.data.validate import main_texts, paraphrase_overlap, typed
from interviewmate.domain import Difficulty, InterviewType, Role, Seniority
from interviewmate.models.embedder import Embedder

TRAIN_MAX_TOKENS = 512  # the generator's SFT sequence length
BEGIN, END = "<!-- stats:begin -->", "<!-- stats:end -->"

# words that name a router label outright; a request without any of them must be understood from context
LABEL_WORDS = re.compile(
    r"\b(technical|coding|code|system design|design|behaviou?ral|easy|medium|hard)\b", re.IGNORECASE
)


def names_a_label(text: str) -> bool:
    return LABEL_WORDS.search(text) is not None


def distinct_n(texts: Sequence[str], n: int) -> float:
    grams: list[tuple[str, ...]] = []
    for t in texts:
        w = words(t)
        grams += [tuple(w[i : i + n]) for i in range(len(w) - n + 1)]
    return len(set(grams)) / max(len(grams), 1)


@dataclass
class CorpusStats:
    counts: dict[str, int] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)  # title -> markdown table
    numbers: dict[str, Any] = field(default_factory=dict)
    plots: list[Path] = field(default_factory=list)


def _table(rows: list[list[Any]], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _pct(values: Sequence[float]) -> str:
    a = np.asarray(values, dtype=float)
    if not len(a):
        return "-"
    p = np.percentile(a, [0, 50, 90, 100])
    return f"min {p[0]:.0f} / median {p[1]:.0f} / p90 {p[2]:.0f} / max {p[3]:.0f} (mean {a.mean():.1f})"


def compute_stats(
    loaded: Loaded,
    splits: Splits | None,
    embedder: Embedder | None,
    tokenizer: Any | None,
    plot_dir: Path | None,
) -> CorpusStats:
    questions, jds, resumes, pairs, router = typed(loaded)
    st = CorpusStats(counts={k: len(v) for k, v in loaded.items.items()})
    st.counts["resume bullets"] = sum(len(r.bullets()) for r in resumes)

    cell = Counter((q.role, q.interview_type) for q in questions)
    types = list(InterviewType)
    st.tables["Questions per role x interview type"] = _table(
        [[r.value, *[cell[(r, t)] for t in types], sum(cell[(r, t)] for t in types)] for r in Role],
        ["role", *[t.value for t in types], "total"],
    )
    diff = Counter(q.difficulty for q in questions)
    st.tables["Questions per difficulty"] = _table(
        [[d.value, diff[d], f"{diff[d] / max(len(questions), 1):.1%}"] for d in Difficulty],
        ["difficulty", "items", "share"],
    )
    jd_cell = Counter((j.role, j.seniority) for j in jds)
    res_cell = Counter((r.role, r.seniority) for r in resumes)
    st.tables["Job descriptions and resumes per role x seniority (JDs / resumes)"] = _table(
        [[r.value, *[f"{jd_cell[(r, s)]} / {res_cell[(r, s)]}" for s in Seniority]] for r in Role],
        ["role", *[s.value for s in Seniority]],
    )
    rcell = Counter((r.role, r.interview_type) for r in router)
    st.tables["Router requests per role x interview type"] = _table(
        [[r.value, *[rcell[(r, t)] for t in types]] for r in Role], ["role", *[t.value for t in types]]
    )
    no_label = sum(not names_a_label(r.text) for r in router)
    st.numbers["router requests naming no label word"] = (
        f"{no_label} of {len(router)} ({no_label / max(len(router), 1):.1%})"
    )
    rdiff = Counter(r.difficulty for r in router)
    st.numbers["router difficulty shares"] = ", ".join(
        f"{d.value} {rdiff[d] / max(len(router), 1):.1%}" for d in Difficulty
    )

    lengths = {
        "question (words)": [len(q.question.split()) for q in questions],
        "reference answer (words)": [len(q.reference_answer.split()) for q in questions],
        "job description (words)": [len(j.text.split()) for j in jds],
        "resume bullet (words)": [len(b.text.split()) for r in resumes for _, b in r.bullets()],
        "bullets per resume": [len(r.bullets()) for r in resumes],
        "retrieval question (words)": [len(p.question.split()) for p in pairs],
        "router request (words)": [len(r.text.split()) for r in router],
    }
    st.tables["Lengths"] = _table([[k, _pct(v)] for k, v in lengths.items()], ["field", "distribution"])

    bullet_text = {b.id: b.text for r in resumes for _, b in r.bullets()}
    overlaps = [paraphrase_overlap(p.question, bullet_text.get(p.positive_bullet_id, "")) for p in pairs]
    st.numbers["retrieval questions: share of the positive bullet's distinctive words reused"] = (
        f"mean {np.mean(overlaps):.2f}, share above 0.4: {np.mean(np.asarray(overlaps) > 0.4):.1%}"
        if overlaps
        else "-"
    )

    all_words = [w for _, (_, texts) in main_texts(loaded).items() for t in texts for w in words(t)]
    all_words += [w for q in questions for w in words(q.reference_answer)]
    st.numbers["vocabulary size (distinct lowercase words, all files)"] = len(set(all_words))
    topics = Counter(q.topic for q in questions)
    st.numbers["distinct topics"] = len(topics)
    st.numbers["topics per role"] = ", ".join(
        f"{r.value} {len({q.topic for q in questions if q.role == r})}" for r in Role
    )
    st.numbers["most common topics"] = ", ".join(f"{t} ({n})" for t, n in topics.most_common(12))

    token_lengths: list[int] = []
    if tokenizer is not None and questions:
        for q in questions:
            # task (b) as the generator sees it: chat template + question + reference answer
            chat = [
                {"role": "user", "content": q.question},
                {"role": "assistant", "content": q.reference_answer},
            ]
            token_lengths.append(len(tokenizer.apply_chat_template(chat, tokenize=True, return_dict=False)))
        over = sum(n > TRAIN_MAX_TOKENS for n in token_lengths)
        st.numbers["answer-task tokens (generator tokenizer, chat template)"] = _pct(token_lengths)
        st.numbers[f"share over the {TRAIN_MAX_TOKENS}-token training length"] = (
            f"{over / len(token_lengths):.1%}"
        )

    diversity_rows = []
    for file, (_, texts) in main_texts(loaded).items():
        nn = nearest_neighbour_similarity(embedder.encode(texts)) if embedder is not None and texts else None
        diversity_rows.append(
            [
                file,
                len(texts),
                f"{distinct_n(texts, 1):.3f}",
                f"{distinct_n(texts, 2):.3f}",
                f"{float(nn.mean()):.3f}" if nn is not None else "-",
                f"{float(nn.max()):.3f}" if nn is not None else "-",
            ]
        )
    answers = [q.reference_answer for q in questions]
    nn_a = (
        nearest_neighbour_similarity(embedder.encode(answers)) if embedder is not None and answers else None
    )
    diversity_rows.append(
        [
            "questions.jsonl (reference answers)",
            len(answers),
            f"{distinct_n(answers, 1):.3f}",
            f"{distinct_n(answers, 2):.3f}",
            f"{float(nn_a.mean()):.3f}" if nn_a is not None else "-",
            f"{float(nn_a.max()):.3f}" if nn_a is not None else "-",
        ]
    )
    st.tables["Lexical diversity (distinct-n over the file; nearest-neighbour cosine, MiniLM)"] = _table(
        diversity_rows,
        ["file (text field)", "n", "distinct-1", "distinct-2", "mean NN cosine", "max NN cosine"],
    )

    if splits is not None:
        st.tables["Splits"] = _table(
            [[f, *[len(splits.ids(f, s)) for s in SPLITS]] for f in sorted(splits.assignment)],
            ["file", *SPLITS],
        )

    if plot_dir is not None:
        st.plots = _plots(plot_dir, lengths, token_lengths, cell)
    return st


def _plots(
    plot_dir: Path,
    lengths: dict[str, list[int]],
    token_lengths: list[int],
    cell: Counter[tuple[Role, InterviewType]],
) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    fig, axes = plt.subplots(2, 3, figsize=(13, 7))
    keys = [k for k in lengths if k != "bullets per resume"][:6]
    for ax, key in zip(axes.flat, keys, strict=False):
        ax.hist(lengths[key], bins=30, color="#4c72b0")
        ax.set_title(key)
    fig.tight_layout()
    paths.append(plot_dir / "dataset_lengths.png")
    fig.savefig(paths[-1], dpi=90)
    plt.close(fig)

    if token_lengths:
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.hist(token_lengths, bins=40, color="#55a868")
        ax.axvline(TRAIN_MAX_TOKENS, color="red", linestyle="--", label=f"training length {TRAIN_MAX_TOKENS}")
        ax.set_xlabel("tokens (question + reference answer, chat template)")
        ax.legend()
        fig.tight_layout()
        paths.append(plot_dir / "dataset_token_lengths.png")
        fig.savefig(paths[-1], dpi=90)
        plt.close(fig)

    grid = np.array([[cell[(r, t)] for t in InterviewType] for r in Role])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(InterviewType)), [t.value for t in InterviewType])
    ax.set_yticks(range(len(Role)), [r.value for r in Role])
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, str(v), ha="center", va="center")
    ax.set_title("questions per role x interview type")
    fig.tight_layout()
    paths.append(plot_dir / "dataset_cells.png")
    fig.savefig(paths[-1], dpi=90)
    plt.close(fig)
    return paths


def render_stats_markdown(st: CorpusStats, card_path: Path, command: str) -> str:
    lines = [BEGIN, "", f"_Generated by `{command}`; do not edit between the markers._", ""]
    lines += ["### Counts", "", _table([[k, v] for k, v in st.counts.items()], ["file", "items"]), ""]
    for title, table in st.tables.items():
        lines += [f"### {title}", "", table, ""]
    lines += ["### Other measures", ""]
    lines += [f"- {k}: {v}" for k, v in st.numbers.items()]
    lines.append("")
    for p in st.plots:
        rel = p.relative_to(card_path.parent) if p.is_relative_to(card_path.parent) else p
        lines += [f"![{p.stem}]({rel.as_posix()})", ""]
    lines.append(END)
    return "\n".join(lines)


def write_card(card_path: Path, stats_md: str) -> None:
    """Replace the generated block of the card, keeping the hand-written parts around it."""
    text = (
        card_path.read_text(encoding="utf-8") if card_path.exists() else f"# Dataset card\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + stats_md + tail
    else:
        text = text.rstrip() + "\n\n" + stats_md + "\n"
    card_path.write_text(text, encoding="utf-8")
