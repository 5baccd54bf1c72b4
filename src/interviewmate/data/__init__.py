"""The interview corpus (JSON Lines files beside this module) and its pipeline."""

from pathlib import Path

CORPUS_DIR = Path(__file__).parent
