"""Golden metric values computed by calling the reference libraries directly (not our wrappers).

Run from the repo root: `python tests/evaluation/golden/make_golden.py` rewrites golden.json beside this file.
Our wrappers in interviewmate.evaluation.text_metrics must reproduce these numbers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sacrebleu
from rouge_score import rouge_scorer

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

PAIRS = [
    (
        "Gradient boosting fits each new tree to the residuals of the ensemble so far.",
        "Gradient boosting adds trees one at a time, each fitted to the residual errors of the current ensemble.",
    ),
    (
        "A p-value is the chance of data this extreme if the null is true. It is not the chance the null is true.",
        "The p-value is the probability of observing data at least as extreme, assuming the null hypothesis. "
        "It says nothing about the probability that the hypothesis itself is true.",
    ),
    ("I would use a hash map keyed by user id.", "Use a dictionary from user id to the latest event."),
    ("The cat sat on the mat.", "The cat sat on the mat."),
    ("Completely unrelated words about weather and rain.", "Sharding splits a table across database nodes."),
]


def main() -> None:
    from interviewmate.evaluation.wordnet import ensure_wordnet

    cache = HERE / ".cache"
    ensure_wordnet(cache)
    from nltk.translate.meteor_score import meteor_score

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    rows = []
    for pred, ref in PAIRS:
        # rougeLsum wants one sentence per line
        split = lambda t: "\n".join(s for s in t.replace(". ", ".\n").split("\n"))  # noqa: E731
        r = scorer.score(split(ref), split(pred))
        rows.append(
            {
                "prediction": pred,
                "reference": ref,
                **{k: r[k].fmeasure for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")},
                "sentence_bleu": sacrebleu.sentence_bleu(pred, [ref]).score / 100,
                "meteor": meteor_score([ref.lower().split()], pred.lower().split()),
            }
        )
    preds, refs = [p for p, _ in PAIRS], [r for _, r in PAIRS]
    golden = {"items": rows, "corpus_bleu": sacrebleu.corpus_bleu(preds, [refs]).score / 100}
    (HERE / "golden.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {HERE / 'golden.json'}")


if __name__ == "__main__":
    main()
