"""The one settings object. Every knob reads from INTERVIEWMATE_<NAME> or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BackendName = Literal["llamacpp", "transformers", "openai", "fake"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTERVIEWMATE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("interviewmate", appauthor=False)))
    """Where the database, model caches and run outputs live (INTERVIEWMATE_DATA_DIR)."""

    database_url: str | None = None
    """SQLAlchemy URL; empty means SQLite in data_dir. e.g. postgresql+psycopg://u:p@127.0.0.1/im"""

    llm_backend: BackendName = "llamacpp"
    """Which backend writes questions: llamacpp (fast on CPU), transformers (trains, GPU), openai (any server)."""

    llm_model: str = "smollm2-135m-instruct"
    """Registry name of the local LLM (`interviewmate models`)."""

    llm_adapter: Path | None = None
    """LoRA adapter to apply: a PEFT folder (transformers) or a .gguf LoRA file (llamacpp). Empty = the packaged
    tuned adapter for llm_model when one ships (see use_tuned_adapter)."""

    use_tuned_adapter: bool = True
    """Apply the packaged fine-tuned generator adapter when no llm_adapter is given; false = the plain base."""

    merge_adapter: bool = (
        True  # runtime LoRA in llama.cpp decodes at ~51-76% of the base speed, merged at ~95%
    )
    """llamacpp: merge the LoRA adapter into a cached copy of the base GGUF once (~250 MB in the model cache) and
    serve that; false applies the adapter at run time."""

    openai_base_url: str = "http://127.0.0.1:8080/v1"
    """Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp server)."""

    openai_model: str = "default"
    """Model name sent to the OpenAI-compatible server."""

    openai_api_key: str = ""
    """API key for the OpenAI-compatible server; empty sends none."""

    embedding_model: str = "all-minilm-l6-v2"
    """Registry name of the sentence-embedding model."""

    asr_model: str = "whisper-tiny-en"
    """Registry name of the speech-to-text model."""

    speech_max_seconds: float = 600.0  # a spoken answer over 10 minutes is not an interview answer
    """Longest spoken or video answer accepted, in seconds."""

    speech_max_upload_bytes: int = 200_000_000  # a 10-minute 720p phone video is ~100-150 MB
    """Largest audio/video upload accepted."""

    device: Literal["auto", "cpu", "cuda"] = "auto"
    """Where torch models run; auto picks CUDA when present."""

    n_threads: int = 0
    """CPU threads for llama.cpp and whisper; 0 = all cores."""

    n_ctx: int = 2048  # longer contexts cost memory per slot; interview prompts stay under 1K tokens
    """Context window for the llama.cpp backend."""

    host: str = "127.0.0.1"
    """Web app bind address; keep loopback unless you put it behind a proxy."""

    port: int = 8000
    """Web app port."""

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, v: str | None) -> str | None:
        """SQLite and PostgreSQL are the databases the migrations and tests cover; say so up front rather than
        fail on a missing driver later."""
        if not v:
            return None
        scheme, _, rest = v.partition("://")
        file_sqlite = scheme == "sqlite" and rest.startswith("/") and rest not in ("/", "/:memory:")
        if not (file_sqlite or scheme in ("postgresql", "postgresql+psycopg")):  # the drivers we ship
            raise ValueError(
                "use a sqlite:///PATH or postgresql+psycopg://USER:PW@HOST/DB URL (or leave it empty)"
            )
        return v

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'interviewmate.db'}"

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"

    def ensure_dirs(self) -> None:
        from interviewmate.errors import ConfigError

        for folder in (self.data_dir, self.model_cache_dir):
            if folder.exists() and not folder.is_dir():
                raise ConfigError(f"INTERVIEWMATE_DATA_DIR: {folder} is a file; point it at a folder")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"INTERVIEWMATE_DATA_DIR: cannot create {folder} ({exc.strerror or exc})"
                ) from None

    def torch_device(self) -> str:
        if self.device != "auto":
            return self.device
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
