"""`interviewmate data validate`: schema, references, bounds, key-point support, duplicates, paraphrase."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np

from interviewmate.data.dedupe import DuplicatePair, find_duplicates, load_whitelist
from interviewmate.data.io import Issue, Loaded, load_corpus
from interviewmate.data.schema import (
    ROLE_CODES,
    JobDescription,
    QuestionItem,
    ResumeDoc,
    RetrievalPair,
    RouterRequest,
)
from interviewmate.data.text import content_words, distinctive_words, sentences, stem
from interviewmate.models.embedder import Embedder

KEY_POINT_MIN_COSINE = 0.45  # a key point this close to some answer sentence is stated there
KEY_POINT_MIN_LEXICAL = 0.5  # ...or at least half of its content stems appear in the answer
PARAPHRASE_MAX_OVERLAP = 0.4  # share of the bullet's distinctive words a retrieval question may reuse
WHITELIST_FILE = "dedupe_whitelist.jsonl"

Progress = Callable[[str], None]


@dataclass
class ValidationReport:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    duplicates: list[DuplicatePair] = field(default_factory=list)
    whitelisted: list[tuple[DuplicatePair, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def typed(
    loaded: Loaded,
) -> tuple[
    list[QuestionItem], list[JobDescription], list[ResumeDoc], list[RetrievalPair], list[RouterRequest]
]:
    it = loaded.items
    return (
        cast(list[QuestionItem], it.get("questions.jsonl", [])),
        cast(list[JobDescription], it.get("job_descriptions.jsonl", [])),
        cast(list[ResumeDoc], it.get("resumes/resumes.jsonl", [])),
        cast(list[RetrievalPair], it.get("retrieval_pairs.jsonl", [])),
        cast(list[RouterRequest], it.get("router_requests.jsonl", [])),
    )


def _where(loaded: Loaded, file: str, item_id: str) -> str:
    lines = loaded.lines.get(file, {})
    line = lines.get(item_id) or lines.get(item_id.rsplit("-b", 1)[0])  # a bullet lives on its resume's line
    return f"{file}:{line or '?'}"


def check_references(loaded: Loaded) -> list[Issue]:
    questions, jds, resumes, pairs, _ = typed(loaded)
    issues: list[Issue] = []
    jd_by_id = {j.id: j for j in jds}
    resume_by_id = {r.id: r for r in resumes}
    bullet_owner: dict[str, str] = {}
    for r in resumes:
        code = ROLE_CODES[r.role]
        if not r.id.startswith(f"r-{code}-"):
            issues.append(Issue(_where(loaded, "resumes/resumes.jsonl", r.id), f"id should start r-{code}-"))
        for _, b in r.bullets():
            if b.id in bullet_owner:
                issues.append(
                    Issue(_where(loaded, "resumes/resumes.jsonl", r.id), f"bullet id {b.id} repeated")
                )
            bullet_owner[b.id] = r.id
    for j in jds:
        if not j.id.startswith(f"jd-{ROLE_CODES[j.role]}-"):
            issues.append(Issue(_where(loaded, "job_descriptions.jsonl", j.id), "id does not match its role"))
    for q in questions:
        if not q.id.startswith(f"q-{ROLE_CODES[q.role]}-"):
            issues.append(Issue(_where(loaded, "questions.jsonl", q.id), "id does not match its role"))
    for p in pairs:
        where = _where(loaded, "retrieval_pairs.jsonl", p.id)
        resume = resume_by_id.get(p.resume_id)
        if resume is None:
            issues.append(Issue(where, f"resume {p.resume_id} does not exist"))
            continue
        jd = jd_by_id.get(p.jd_id)
        if jd is None:
            issues.append(Issue(where, f"job description {p.jd_id} does not exist"))
        elif jd.role != resume.role:
            issues.append(Issue(where, f"{p.jd_id} is a {jd.role} JD but {p.resume_id} is a {resume.role}"))
        for bid in [p.positive_bullet_id, *p.hard_negative_bullet_ids]:
            if bullet_owner.get(bid) != p.resume_id:
                issues.append(Issue(where, f"bullet {bid} is not in resume {p.resume_id}"))
    return issues


def _embed_all(embedder: Embedder, texts: Sequence[str]) -> dict[str, np.ndarray]:
    unique = sorted(set(texts))
    vectors = embedder.encode(unique)
    return dict(zip(unique, vectors, strict=True))


def check_key_points(loaded: Loaded, embedder: Embedder) -> list[Issue]:
    """Each key point must be stated in its reference answer: by words first (cheap), else by meaning."""
    questions = typed(loaded)[0]
    pending: list[tuple[QuestionItem, str, float]] = []
    for q in questions:
        answer_stems = {stem(w) for w in content_words(q.reference_answer)}
        for kp in q.key_points:
            kp_stems = {stem(w) for w in content_words(kp)}
            lexical = len(kp_stems & answer_stems) / max(len(kp_stems), 1)
            if lexical < KEY_POINT_MIN_LEXICAL:
                pending.append((q, kp, lexical))
    if not pending:
        return []
    texts = [t for q, kp, _ in pending for t in (kp, *sentences(q.reference_answer))]
    vec = _embed_all(embedder, texts)
    issues = []
    for q, kp, lexical in pending:
        sent_matrix = np.stack([vec[s] for s in sentences(q.reference_answer)])
        cosine = float((sent_matrix @ vec[kp]).max())
        if cosine < KEY_POINT_MIN_COSINE:
            issues.append(
                Issue(
                    _where(loaded, "questions.jsonl", q.id),
                    f"key point {kp!r} is not supported by the reference answer "
                    f"(best sentence cosine {cosine:.2f}, word overlap {lexical:.2f})",
                )
            )
    return issues


def main_texts(loaded: Loaded) -> dict[str, tuple[list[str], list[str]]]:
    """Per file, the (ids, texts) whose duplicates matter."""
    questions, jds, resumes, pairs, router = typed(loaded)
    bullets = [(b.id, b.text) for r in resumes for _, b in r.bullets()]
    return {
        "questions.jsonl": ([q.id for q in questions], [q.question for q in questions]),
        "job_descriptions.jsonl": ([j.id for j in jds], [j.text for j in jds]),
        "resumes/resumes.jsonl": ([b[0] for b in bullets], [b[1] for b in bullets]),
        "retrieval_pairs.jsonl": ([p.id for p in pairs], [p.question for p in pairs]),
        "router_requests.jsonl": ([r.id for r in router], [r.text for r in router]),
    }


def check_paraphrase(loaded: Loaded) -> list[Issue]:
    _, _, resumes, pairs, _ = typed(loaded)
    bullet_text = {b.id: b.text for r in resumes for _, b in r.bullets()}
    issues = []
    for p in pairs:
        bullet = bullet_text.get(p.positive_bullet_id)
        if bullet is None:
            continue
        overlap = paraphrase_overlap(p.question, bullet)
        if overlap > PARAPHRASE_MAX_OVERLAP:
            issues.append(
                Issue(
                    _where(loaded, "retrieval_pairs.jsonl", p.id),
                    f"question reuses {overlap:.0%} of the bullet's distinctive words; paraphrase it",
                )
            )
    return issues


def paraphrase_overlap(question: str, bullet: str) -> float:
    b = distinctive_words(bullet)
    return len(b & distinctive_words(question)) / max(len(b), 1)


def validate_corpus(
    corpus_dir: Path, embedder: Embedder | None, progress: Progress | None = None
) -> ValidationReport:
    """Every check the dataset card promises. `embedder=None` skips the embedding checks (schema-only)."""
    say = progress or (lambda _msg: None)
    say("reading files")
    loaded = load_corpus(corpus_dir)
    report = ValidationReport(errors=list(loaded.errors))
    report.counts = {name: len(items) for name, items in loaded.items.items()}
    say("checking references")
    report.errors += check_references(loaded)
    report.warnings += check_paraphrase(loaded)
    if embedder is None:
        return report
    say("checking key points against reference answers")
    report.errors += check_key_points(loaded, embedder)
    say("looking for near-duplicates")
    whitelist = load_whitelist(corpus_dir / WHITELIST_FILE)
    for file, (ids, texts) in main_texts(loaded).items():
        vectors = embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        for pair in find_duplicates(file, ids, texts, vectors):
            reason = whitelist.get(frozenset((pair.a, pair.b)))
            if reason:
                report.whitelisted.append((pair, reason))
                continue
            report.duplicates.append(pair)
            kind = "exact duplicate" if pair.exact else f"near-duplicate (cosine {pair.similarity:.3f})"
            report.errors.append(
                Issue(
                    _where(loaded, file, pair.a), f"{kind} of {pair.b}; reword one or whitelist with a reason"
                )
            )
    return report
