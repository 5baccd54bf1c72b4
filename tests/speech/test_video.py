"""Rough video signals: frame sampling, and the face / facing-the-camera rules with a fake detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewmate.speech.video import Box, analyze_video, judge_frame, sample_frames
from tests.speech.media_files import tone, write_video


class FakeDetector:
    def __init__(self, faces: list[Box], eyes: list[Box]) -> None:
        self._faces, self._eyes = faces, eyes
        self.eye_regions: list[tuple[int, ...]] = []

    def faces(self, gray: np.ndarray) -> list[Box]:
        return self._faces

    def eyes(self, gray_face: np.ndarray) -> list[Box]:
        self.eye_regions.append(gray_face.shape)
        return self._eyes


FRAME = np.zeros((200, 300), dtype=np.uint8)
TWO_EYES = [(10, 15, 12, 12), (50, 15, 12, 12)]


def test_centred_frontal_face_with_two_eyes_counts_as_facing_the_camera() -> None:
    det = FakeDetector([(110, 60, 80, 80)], TWO_EYES)
    verdict = judge_frame(FRAME, det)
    assert verdict.face and verdict.looking
    assert det.eye_regions == [(40, 80)]  # eyes are searched in the face's upper half only


@pytest.mark.parametrize(
    ("faces", "eyes", "face", "looking"),
    [
        ([], TWO_EYES, False, False),
        ([(110, 60, 80, 80)], TWO_EYES[:1], True, False),  # one eye: turned away
        ([(0, 0, 60, 60)], TWO_EYES, True, False),  # face in the corner
        ([(0, 0, 20, 20), (110, 60, 80, 80)], TWO_EYES, True, True),  # the largest face is judged
    ],
)
def test_face_rules(faces: list[Box], eyes: list[Box], face: bool, looking: bool) -> None:
    verdict = judge_frame(FRAME, FakeDetector(faces, eyes))
    assert (verdict.face, verdict.looking) == (face, looking)


def test_frames_are_sampled_at_about_two_per_second_and_bounded(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.mp4", tone(4.0, 16_000), 16_000, 4.0, fps=10)
    frames = list(sample_frames(path, sample_fps=2.0))
    assert len(frames) == 8 and frames[0].dtype == np.uint8 and frames[0].shape == (120, 160)
    assert len(list(sample_frames(path, sample_fps=2.0, max_frames=3))) == 3


def test_haar_cascades_find_no_face_in_a_face_less_video(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.mp4", tone(3.0, 16_000), 16_000, 3.0)
    video = analyze_video(path)
    assert video["rough"] is True and video["frames_sampled"] == 6
    assert video["face_present_ratio"] == 0.0 and video["looking_at_camera_ratio"] == 0.0
