"""InterviewMate: a local-first AI interview coach and fine-tuning workbench."""

__version__ = "0.1.0"
