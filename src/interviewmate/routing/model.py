"""One shared MiniLM encoder (LoRA-tuned) with two linear heads: interview type (4) and difficulty (3).

Why one encoder and two heads: both labels are read from the same words of the same short request, so a shared
encoder learns them jointly at half the inference cost of two models; two heads keep the label spaces separate
(16 fixed combinations would starve rare ones).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewmate.domain import Difficulty, InterviewType

TYPES = [t.value for t in InterviewType]
DIFFICULTIES = [d.value for d in Difficulty]
MAX_TOKENS = 96  # requests are short; a JD excerpt is cut to fit


def router_text(role: str, request: str, jd: str = "") -> str:
    text = f"role: {role.replace('_', ' ')}. request: {request.strip()}"
    if jd.strip():
        text += f" job description: {' '.join(jd.split()[:60])}"
    return text


@dataclass(frozen=True)
class RouteResult:
    interview_type: str
    difficulty: str
    confidence_type: float
    confidence_difficulty: float

    def to_json(self) -> dict[str, object]:
        return {
            "interview_type": self.interview_type,
            "difficulty": self.difficulty,
            "confidence": {"interview_type": self.confidence_type, "difficulty": self.confidence_difficulty},
        }


def build_router_module(encoder: Any) -> Any:
    import torch

    class RouterModule(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            hidden = encoder.config.hidden_size
            self.type_head = torch.nn.Linear(hidden, len(TYPES))
            self.difficulty_head = torch.nn.Linear(hidden, len(DIFFICULTIES))

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            out = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # mean pooling, as MiniLM was trained
            return self.type_head(pooled), self.difficulty_head(pooled)

    return RouterModule()


class Router:
    """A loaded router: encoder with the LoRA merged in, two heads, a tokenizer."""

    def __init__(self, module: Any, tokenizer: Any) -> None:
        self.module = module.eval()
        self.tokenizer = tokenizer

    def route_texts(self, texts: list[str]) -> list[RouteResult]:
        import torch

        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with torch.inference_mode():
            type_logits, diff_logits = self.module(enc["input_ids"], enc["attention_mask"])
        tp, dp = type_logits.softmax(-1), diff_logits.softmax(-1)
        out = []
        for i in range(len(texts)):
            ti, di = int(tp[i].argmax()), int(dp[i].argmax())
            out.append(RouteResult(TYPES[ti], DIFFICULTIES[di], float(tp[i, ti]), float(dp[i, di])))
        return out

    def route(self, role: str, request: str, jd: str = "") -> RouteResult:
        return self.route_texts([router_text(role, request, jd)])[0]

    def probabilities(self, texts: list[str]) -> tuple[Any, Any]:
        import torch

        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with torch.inference_mode():
            t, d = self.module(enc["input_ids"], enc["attention_mask"])
        return t.softmax(-1).numpy(), d.softmax(-1).numpy()


def save_router(module: Any, tokenizer_dir: Path, out_dir: Path, meta: dict[str, Any]) -> None:
    """Only the LoRA weights and the heads are saved; the base encoder is the packaged MiniLM."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    module.encoder.save_pretrained(out_dir / "encoder_lora")  # adapter_config.json + LoRA weights
    heads = {f"type_head.{k}": v for k, v in module.type_head.state_dict().items()}
    heads |= {f"difficulty_head.{k}": v for k, v in module.difficulty_head.state_dict().items()}
    save_file({k: v.contiguous().cpu() for k, v in heads.items()}, str(out_dir / "heads.safetensors"))
    (out_dir / "router.json").write_text(
        json.dumps({"types": TYPES, "difficulties": DIFFICULTIES, **meta}, indent=1)
    )


def load_router(router_dir: Path, encoder_dir: Path) -> Router:
    """The packaged MiniLM + this router's LoRA (merged for speed) + heads."""
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    from interviewmate.models.registry import offline_env

    offline_env()
    encoder = AutoModel.from_pretrained(str(encoder_dir))
    encoder = PeftModel.from_pretrained(encoder, str(router_dir / "encoder_lora")).merge_and_unload()
    module = build_router_module(encoder)
    heads = load_file(str(router_dir / "heads.safetensors"))
    module.type_head.load_state_dict(
        {k.split(".", 1)[1]: v for k, v in heads.items() if k.startswith("type_head")}
    )
    module.difficulty_head.load_state_dict(
        {k.split(".", 1)[1]: v for k, v in heads.items() if k.startswith("difficulty_head")}
    )
    return Router(module, AutoTokenizer.from_pretrained(str(encoder_dir)))
