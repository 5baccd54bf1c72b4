"""Corpus -> chat-templated SFT examples for the generator's two tasks, with completion-only labels."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from interviewmate.coaching.prompts import answer_messages, format_question_list, question_messages
from interviewmate.data.io import load_corpus
from interviewmate.data.pipeline import SPLITS_FILE, read_splits
from interviewmate.data.schema import JobDescription, QuestionItem
from interviewmate.domain import ChatMessage

IGNORE = -100


@dataclass(frozen=True)
class SFTExample:
    task: str  # "questions" | "answer"
    messages: tuple[ChatMessage, ...]
    completion: str
    ref_id: str  # corpus id(s) it came from


@dataclass(frozen=True)
class TokenizedExample:
    input_ids: list[int]
    labels: list[int]

    @property
    def n_completion(self) -> int:
        return sum(1 for t in self.labels if t != IGNORE)


def load_split_items(corpus_dir: Path, split: str) -> tuple[list[QuestionItem], list[JobDescription]]:
    loaded = load_corpus(corpus_dir)
    splits = read_splits(corpus_dir / SPLITS_FILE)
    q_ids = set(splits.ids("questions.jsonl", split))
    questions = [q for q in cast(list[QuestionItem], loaded.items["questions.jsonl"]) if q.id in q_ids]
    jds = cast(list[JobDescription], loaded.items["job_descriptions.jsonl"])
    return questions, jds


def build_examples(
    questions: Sequence[QuestionItem], jds: Sequence[JobDescription], seed: int, max_group: int = 5
) -> list[SFTExample]:
    """One answer example per question; question-list examples from shuffled groups of 1-5 per cell."""
    rng = random.Random(seed)
    out = [
        SFTExample("answer", tuple(answer_messages(q.question)), q.reference_answer, q.id) for q in questions
    ]
    skills_by_role: dict[str, list[list[str]]] = defaultdict(list)
    for jd in jds:
        skills_by_role[jd.role].append(list(jd.skills))
    cells: dict[tuple[str, str, str], list[QuestionItem]] = defaultdict(list)
    for q in questions:
        cells[(q.role, q.interview_type, q.difficulty)].append(q)
    for (role, itype, diff), items in sorted(cells.items()):
        items = sorted(items, key=lambda q: q.id)
        rng.shuffle(items)
        i = 0
        while i < len(items):
            group = items[i : i + rng.randint(1, max_group)]
            i += len(group)
            skills = rng.choice(skills_by_role[role]) if skills_by_role[role] else []
            skills = rng.sample(skills, k=min(len(skills), 6))
            msgs = question_messages(role, skills, itype, diff, len(group))
            out.append(
                SFTExample(
                    "questions",
                    tuple(msgs),
                    format_question_list([q.question for q in group]),
                    ",".join(q.id for q in group),
                )
            )
    return out


def _chat(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]


def tokenize_example(tokenizer: Any, ex: SFTExample) -> TokenizedExample:
    """Prompt tokens get label -100; the loss sees only the completion (and its end-of-turn token)."""
    prompt = tokenizer.apply_chat_template(
        _chat(ex.messages), add_generation_prompt=True, tokenize=True, return_dict=False
    )
    full = tokenizer.apply_chat_template(
        [*_chat(ex.messages), {"role": "assistant", "content": ex.completion}],
        tokenize=True,
        return_dict=False,
    )
    prompt, full = list(prompt), list(full)
    if full[: len(prompt)] != prompt:
        raise ValueError(
            "the chat template does not extend the prompt with the answer; cannot mask the prompt"
        )
    return TokenizedExample(full, [IGNORE] * len(prompt) + full[len(prompt) :])


def tokenize_all(
    tokenizer: Any, examples: Sequence[SFTExample], max_length: int
) -> tuple[list[TokenizedExample], int]:
    """Tokenized examples within max_length, and how many were dropped for length."""
    kept, dropped = [], 0
    for ex in examples:
        tok = tokenize_example(tokenizer, ex)
        if len(tok.input_ids) > max_length:
            dropped += 1
            continue
        kept.append(tok)
    return kept, dropped
