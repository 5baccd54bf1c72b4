"""Prep guide from the candidate's own project: extract what it is, its stack, numbers and components (every
fact with its file and line), then questions with grounded answer outlines, a demo script and a checklist."""

from interviewmate.prepguide.model import Guide
from interviewmate.prepguide.render import render_html, render_markdown
from interviewmate.prepguide.scan import Limits
from interviewmate.prepguide.service import guide_from_path, guide_from_upload

__all__ = ["Guide", "Limits", "guide_from_path", "guide_from_upload", "render_html", "render_markdown"]
