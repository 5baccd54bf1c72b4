"""evaluate_router: the router vs both baselines on the held-out split, per head; latency; external check."""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from interviewmate.data import CORPUS_DIR
from interviewmate.evaluation.classification import classification_report
from interviewmate.evaluation.significance import mcnemar
from interviewmate.models.embedder import Embedder
from interviewmate.routing.baselines import TfidfLogReg, zero_shot
from interviewmate.routing.model import DIFFICULTIES, TYPES, Router, router_text
from interviewmate.routing.train import split_requests

HEADS = {"interview_type": TYPES, "difficulty": DIFFICULTIES}


def external_behavioral_questions(path: Path) -> list[str]:
    """Numbered list items ("1. ...") of the handbook's behavioral-questions page."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*\d+\.\s+(.*\S)\s*$", line)
        if m:
            items.append(re.sub(r"[*_`]", "", m.group(1)))
    return items


def evaluate_router(
    router: Router, embedder: Embedder, out_dir: Path, corpus_dir: Path = CORPUS_DIR, split: str = "test"
) -> dict[str, Any]:
    train, test = split_requests(corpus_dir, "train"), split_requests(corpus_dir, split)
    train_x = [router_text(r.role, r.text) for r in train]
    test_x = [router_text(r.role, r.text) for r in test]
    p_type, p_diff = router.probabilities(test_x)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"n_test": len(test), "heads": {}}
    for head, labels in HEADS.items():
        y = [getattr(r, head) for r in test]
        probs = p_type if head == "interview_type" else p_diff
        pred = [labels[int(i)] for i in probs.argmax(1)]
        conf = [float(probs[k].max()) for k in range(len(test))]
        systems = {"router": (pred, conf)}
        lr = TfidfLogReg().fit(train_x, [getattr(r, head) for r in train])
        systems["tfidf_logreg"] = lr.predict(test_x)
        systems["zero_shot"] = zero_shot([r.text for r in test], labels, embedder)
        reports = {}
        for name, (p, c) in systems.items():
            rep = classification_report(y, p, labels, c)
            reports[name] = rep
            (out_dir / f"classification_{head}_{name}.json").write_text(json.dumps(rep.to_json(), indent=1))
        best_base = max(("tfidf_logreg", "zero_shot"), key=lambda n: reports[n].macro_f1)
        mc = mcnemar(
            [a == b for a, b in zip(systems[best_base][0], y, strict=True)],
            [a == b for a, b in zip(pred, y, strict=True)],
        )
        summary["heads"][head] = {
            name: {
                "accuracy": r.accuracy,
                "macro_f1": r.macro_f1,
                "ece": r.ece,
                "per_class_f1": {k: v["f1"] for k, v in r.per_class.items()},
            }
            for name, r in reports.items()
        } | {
            "mcnemar_vs_" + best_base: {
                "p": mc.p_value,
                "router_only_correct": mc.only_b_correct,
                "baseline_only_correct": mc.only_a_correct,
            }
        }
    timings = []
    for r in test[:50]:
        start = time.perf_counter()
        router.route(r.role, r.text)
        timings.append((time.perf_counter() - start) * 1000)
    summary["latency_ms_median"] = statistics.median(timings)
    (out_dir / "router_eval.json").write_text(json.dumps(summary, indent=1))
    return summary
