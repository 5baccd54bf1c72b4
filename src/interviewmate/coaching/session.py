"""The session engine: resumes and job descriptions in, a planned interview, answers saved, feedback stored.

    coach = CoachService(session_factory, settings, backend, embedder)
    resume_id = coach.add_resume(user.id, "cv.pdf", data)
    jd_id = coach.add_job_description(user.id, jd_text, title="ML Engineer")
    sid = coach.start_session(user.id, resume_id, jd_id, n=5)            # route + checked questions, stored
    q = coach.next_question(user.id, sid)                                 # QuestionView | None when done
    aid = coach.submit_answer(user.id, q.id, "My answer ...")             # committed before any scoring
    fb = coach.score(user.id, aid)                                        # FeedbackView (overall None on failure)
    coach.maybe_follow_up(user.id, aid)                                   # a probe after a weak answer
    coach.finish(user.id, sid)

Every method takes the acting user's id and raises NotFoundError when the object does not exist or belongs to
someone else, so the web app can answer 404 without telling the two apart. Callers get frozen views from
coaching/session_views.py, never ORM rows. Each method is one short transaction; slow work (generation,
scoring) runs with no transaction open, so SQLite stays free for other requests.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from interviewmate.coaching.scoring import ScoringContext, score_answer
from interviewmate.coaching.session_plan import check_choices, choose_role, choose_route, plan_questions
from interviewmate.coaching.session_views import (
    AnswerView,
    FeedbackView,
    JobDescriptionSummary,
    QuestionView,
    ResumePoint,
    ResumeSummary,
    RouteView,
    SampleAnswerView,
    SessionSummary,
    SessionView,
)
from interviewmate.config import Settings
from interviewmate.data.corpus import load_bank
from interviewmate.domain import Bullet, Difficulty, Feedback, InterviewType, Question, RetrievedBullet, Role
from interviewmate.errors import DataError, NotFoundError
from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder
from interviewmate.routing.model import Router
from interviewmate.store.tables import (
    AnswerRecord,
    BulletRecord,
    FeedbackRecord,
    InterviewSessionRecord,
    JobDescriptionRecord,
    QuestionRecord,
    ResumeRecord,
    as_utc,
)

Scorer = Callable[[Question, str, ScoringContext], Feedback]
FOLLOW_UP_BELOW = 50.0  # an answer scoring under this gets one probing follow-up question
MAX_QUESTIONS = 20
MAX_ANSWER_CHARS = (
    20_000  # about 3,000 words: far beyond a spoken answer; keeps one request from bloating the DB
)
MAX_JD_CHARS = 50_000
MODALITIES = ("text", "audio", "video")


class CoachService:
    """One per app (or terminal run). Collaborators are passed in so tests use fakes: a FakeBackend, a
    HashingEmbedder, a tiny router, a scorer that raises."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        backend: LLMBackend,
        embedder: Embedder,
        retriever_embedder: Embedder | None = None,
        router: Router | None = None,
        scorer: Scorer = score_answer,
    ) -> None:
        self._factory = session_factory
        self._settings = settings
        self._backend = backend
        self._embedder = embedder  # question checks, role matching, scoring
        self._retriever = retriever_embedder or embedder  # resume bullets and sample-answer retrieval
        self._router = router
        self._scorer = scorer

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The DB session factory this service writes with (for accounts and progress on the same DB)."""
        return self._factory

    # ----- resumes and job descriptions -----------------------------------------------------------------

    def add_resume(self, user_id: int, filename: str, data: bytes) -> int:
        """Parse an uploaded resume (PDF, DOCX, TXT, MD) and store it with its bullets and their embeddings.
        Raises DataError (one line) when the file cannot be parsed or has no bullets."""
        from interviewmate.resume import parse_resume_bytes
        from interviewmate.retrieval.service import to_bytes

        resume = parse_resume_bytes(data, filename)
        if not resume.bullets:
            raise DataError(f"{filename}: no bullet points found; list your experience as one line per item")
        vectors = self._retriever.encode([b.text for b in resume.bullets])
        with self._factory() as db:
            record = ResumeRecord(user_id=user_id, filename=filename[:255], raw_text=resume.raw_text)
            record.bullets = [
                BulletRecord(
                    position=i,
                    section=b.section[:120],
                    text=b.text,
                    embedding=to_bytes(vec),
                    embedding_model=self._retriever.name,
                )
                for i, (b, vec) in enumerate(zip(resume.bullets, vectors, strict=True))
            ]
            db.add(record)
            db.commit()
            return record.id

    def list_resumes(self, user_id: int) -> list[ResumeSummary]:
        """The user's resumes, newest first."""
        with self._factory() as db:
            rows = db.scalars(
                select(ResumeRecord)
                .where(ResumeRecord.user_id == user_id)
                .order_by(ResumeRecord.created_at.desc(), ResumeRecord.id.desc())
            ).all()
            return [_resume_summary(r) for r in rows]

    def resume_bullets(self, user_id: int, resume_id: int) -> list[Bullet]:
        """The resume's bullets in document order."""
        with self._factory() as db:
            record = _own(db, ResumeRecord, resume_id, user_id, "resume")
            return [Bullet(b.text, b.section, b.position) for b in record.bullets]

    def add_job_description(self, user_id: int, text: str, title: str = "") -> int:
        """Store a job description; its title is mapped to a known role when one is close."""
        from interviewmate.coaching.roles import resolve_role
        from interviewmate.errors import ConfigError

        text = text.strip()
        if len(text.split()) < 5:
            raise DataError("the job description is too short: paste the whole posting")
        if len(text) > MAX_JD_CHARS:
            raise DataError(
                f"the job description is over {MAX_JD_CHARS:,} characters: paste only the posting"
            )
        title = (title.strip() or text.splitlines()[0].strip())[:255]
        try:
            role: str | None = resolve_role(title, self._embedder).value
        except ConfigError:
            role = None
        with self._factory() as db:
            record = JobDescriptionRecord(user_id=user_id, title=title, text=text, role=role)
            db.add(record)
            db.commit()
            return record.id

    def list_job_descriptions(self, user_id: int) -> list[JobDescriptionSummary]:
        """The user's job descriptions, newest first."""
        with self._factory() as db:
            rows = db.scalars(
                select(JobDescriptionRecord)
                .where(JobDescriptionRecord.user_id == user_id)
                .order_by(JobDescriptionRecord.created_at.desc(), JobDescriptionRecord.id.desc())
            ).all()
            return [
                JobDescriptionSummary(r.id, r.title, r.role, len(r.text.split()), as_utc(r.created_at))
                for r in rows
            ]

    # ----- planning ----------------------------------------------------------------------------------------

    def start_session(
        self,
        user_id: int,
        resume_id: int | None,
        jd_id: int | None,
        role: str | None = None,
        interview_type: str | None = None,
        difficulty: str | None = None,
        n: int = 5,
        request: str = "",
    ) -> int:
        """Plan and store a session: the role (given, else the JD's), the route (explicit choices win, the
        router fills the rest), and n checked questions (generator, bank fallback). Returns its id."""
        if not 1 <= n <= MAX_QUESTIONS:
            raise DataError(f"ask for between 1 and {MAX_QUESTIONS} questions (got {n})")
        interview_type, difficulty = check_choices(interview_type, difficulty)
        with self._factory() as db:
            if resume_id is not None:
                _own(db, ResumeRecord, resume_id, user_id, "resume")
            jd = (
                _own(db, JobDescriptionRecord, jd_id, user_id, "job description")
                if jd_id is not None
                else None
            )
            jd_text, jd_title, jd_role = (jd.text, jd.title, jd.role) if jd else ("", "", None)
        resolved_role = choose_role(role, jd_title, jd_role, self._embedder)
        route, notes = choose_route(
            self._get_router, resolved_role, request, jd_text, interview_type, difficulty
        )
        planned, more = plan_questions(
            self._backend, self._embedder, resolved_role, route.interview_type, route.difficulty, n, jd_text
        )
        notes += more
        if not planned:
            raise DataError(
                f"no questions could be made for {resolved_role} / {route.interview_type}: try another type"
            )
        with self._factory() as db:
            record = InterviewSessionRecord(
                user_id=user_id,
                resume_id=resume_id,
                job_description_id=jd_id,
                role=resolved_role,
                interview_type=route.interview_type,
                difficulty=route.difficulty,
                n_questions=len(planned),
                status="active",
                request=request or None,
                plan={"route": route.to_json(), "notes": notes},
            )
            record.questions = [
                QuestionRecord(
                    position=i,
                    text=q.text,
                    topic=q.topic[:120],
                    key_points=list(q.key_points),
                    reference_answer=q.reference_answer,
                    source=q.source,
                    bank_id=q.bank_id,
                )
                for i, q in enumerate(planned)
            ]
            db.add(record)
            db.commit()
            return record.id

    def _get_router(self) -> Router:
        if self._router is None:  # loaded on first need: most sessions name their type and difficulty
            from interviewmate.routing.service import load_default_router

            self._router = load_default_router()
        return self._router

    # ----- asking and answering ----------------------------------------------------------------------------

    def next_question(self, user_id: int, session_id: int) -> QuestionView | None:
        """The first question (in order, follow-ups included) with no answer yet; None when all are answered."""
        return self.resume_point(user_id, session_id).question

    def resume_point(self, user_id: int, session_id: int) -> ResumePoint:
        """Where an interrupted session continues: its first unanswered question, and how far it got."""
        with self._factory() as db:
            record = _own(db, InterviewSessionRecord, session_id, user_id, "session")
            counts = _answer_counts(db, session_id)
            views = [_question_view(q, i, counts) for i, q in enumerate(record.questions, start=1)]
            first = next((v for v in views if v.n_answers == 0), None)
            answered = sum(v.n_answers > 0 for v in views)
            return ResumePoint(session_id, first, answered, len(views))

    def get_question(self, user_id: int, question_id: int) -> QuestionView:
        with self._factory() as db:
            q = _own_question(db, question_id, user_id)
            counts = _answer_counts(db, q.session_id)
            return _question_view(q, _number_of(q), counts)

    def submit_answer(
        self,
        user_id: int,
        question_id: int,
        text: str,
        modality: str = "text",
        media_path: str | None = None,
        duration_s: float | None = None,
        delivery: dict[str, Any] | None = None,
    ) -> int:
        """Save an answer and commit it before anything else happens; returns its id. Answering a question
        again (a retry) adds a new answer and keeps the old one."""
        if modality not in MODALITIES:
            raise DataError(f"modality must be one of {', '.join(MODALITIES)} (got {modality!r})")
        if modality == "text" and not text.strip():
            raise DataError("the answer is empty: type your answer (or skip the question)")
        if len(text) > MAX_ANSWER_CHARS:
            raise DataError(f"the answer is over {MAX_ANSWER_CHARS:,} characters: shorten it")
        if duration_s is not None and not (math.isfinite(duration_s) and duration_s >= 0):
            raise DataError("the recording's duration must be a non-negative number of seconds")
        with self._factory() as db:
            q = _own_question(db, question_id, user_id)
            answer = AnswerRecord(
                question_id=q.id,
                text=text,
                modality=modality,
                media_path=media_path,
                duration_s=duration_s,
                delivery=_jsonable(delivery) if delivery is not None else None,
            )
            db.add(answer)
            db.commit()
            return answer.id

    def retry(
        self,
        user_id: int,
        question_id: int,
        text: str,
        modality: str = "text",
        media_path: str | None = None,
        duration_s: float | None = None,
        delivery: dict[str, Any] | None = None,
    ) -> int:
        """Answer an already answered question again; earlier answers and their feedback stay."""
        if self.get_question(user_id, question_id).n_answers == 0:
            raise DataError("this question has no answer yet: answer it first, then retry")
        return self.submit_answer(user_id, question_id, text, modality, media_path, duration_s, delivery)

    def score(self, user_id: int, answer_id: int) -> FeedbackView:
        """Score a saved answer and store the feedback (replacing earlier feedback for it). When the scorer
        fails, the feedback says so with overall None; the answer itself is never touched."""
        with self._factory() as db:
            a = _own_answer(db, answer_id, user_id)
            q = a.question
            s = q.session
            question = Question(
                q.text,
                Role(s.role),
                InterviewType(s.interview_type),
                Difficulty(s.difficulty),
                q.topic,
                tuple(q.key_points),
                q.reference_answer,
            )
            answer_text, delivery, question_id = a.text, a.delivery, q.id
            resume = db.get(ResumeRecord, s.resume_id) if s.resume_id is not None else None
            bullets = [Bullet(b.text, b.section, b.position) for b in resume.bullets] if resume else []
        context = ScoringContext(embedder=self._embedder, bullets=bullets, delivery=delivery)
        try:
            feedback = self._scorer(question, answer_text, context)
            overall = None if feedback.overall is None else float(feedback.overall)
            components, notes = _jsonable(feedback.components), [str(n) for n in feedback.notes]
        except Exception as exc:  # any scorer failure: keep the answer, say why there is no score
            overall, components = None, {}
            notes = [f"scoring failed ({type(exc).__name__}: {exc}); your answer is saved, try scoring again"]
        with self._factory() as db:
            a = _own_answer(db, answer_id, user_id)
            if a.feedback is not None:
                db.delete(a.feedback)
                db.flush()
            a.feedback = FeedbackRecord(overall=overall, components=components, notes=notes)
            db.commit()
        return FeedbackView(answer_id, question_id, overall, components, tuple(notes))

    def feedback(self, user_id: int, answer_id: int) -> FeedbackView | None:
        """The stored feedback for an answer, or None when it has not been scored."""
        with self._factory() as db:
            a = _own_answer(db, answer_id, user_id)
            return _feedback_view(a)

    def maybe_follow_up(self, user_id: int, answer_id: int) -> QuestionView | None:
        """After a weak scored answer (overall < FOLLOW_UP_BELOW), insert one follow-up question right after
        its question: the bank question's own follow-up when it came from the bank, else a probe on the key
        points it missed. Returns it, or None when the answer is fine, unscored, already followed up, or
        itself a follow-up."""
        with self._factory() as db:
            a = _own_answer(db, answer_id, user_id)
            q = a.question
            fb = a.feedback
            if fb is None or fb.overall is None or fb.overall >= FOLLOW_UP_BELOW or q.source == "follow_up":
                return None
            exists = db.scalar(select(QuestionRecord.id).where(QuestionRecord.follow_up_of == q.id))
            if exists is not None:
                return None
            text, key_points = _follow_up_text(q, fb.components)
            _shift_positions(db, q.session_id, after=q.position)
            follow = QuestionRecord(
                session_id=q.session_id,
                position=q.position + 1,
                text=text,
                topic=q.topic,
                key_points=key_points,
                reference_answer=q.reference_answer,
                source="follow_up",
                follow_up_of=q.id,
            )
            db.add(follow)
            db.commit()
            return _question_view(follow, _number_of(follow), {})

    def sample_answer(self, user_id: int, question_id: int, k: int = 5) -> SampleAnswerView:
        """A sample answer to the question built only from the session resume's most relevant bullets, cited
        as [1], [2] ... When the session has no resume the answer is empty and a note says why."""
        from interviewmate.retrieval.service import retrieve_for_resume

        with self._factory() as db:
            q = _own_question(db, question_id, user_id)
            s = q.session
            question_text, resume_id = q.text, s.resume_id
            jd = db.get(JobDescriptionRecord, s.job_description_id) if s.job_description_id else None
            jd_text = jd.text if jd else None
        if resume_id is None:
            return SampleAnswerView(
                question_id, "", (), ("this session has no resume: add one for sample answers",)
            )
        bullets = retrieve_for_resume(self._factory, resume_id, question_text, jd_text, self._retriever, k)
        text, notes = self._write_sample(question_text, jd_text, bullets)
        return SampleAnswerView(question_id, text, tuple(bullets), tuple(notes))

    def _write_sample(
        self, question: str, jd_text: str | None, bullets: list[RetrievedBullet]
    ) -> tuple[str, list[str]]:
        from interviewmate.coaching.sample_answer import build_sample_answer

        result = build_sample_answer(question, bullets, self._backend)
        return result.text, list(result.notes)

    # ----- sessions ----------------------------------------------------------------------------------------

    def finish(self, user_id: int, session_id: int) -> SessionSummary:
        """Mark the session finished (unanswered questions stay unanswered); finishing twice is harmless."""
        with self._factory() as db:
            record = _own(db, InterviewSessionRecord, session_id, user_id, "session")
            if record.status != "finished":
                record.status, record.finished_at = "finished", datetime.now(UTC)
                db.commit()
            return _summary(db, record)

    def get_session(self, user_id: int, session_id: int) -> SessionView:
        """The whole session: route, notes, questions in order, every answer with its feedback."""
        with self._factory() as db:
            loaded = (  # questions, answers and feedback in three queries, not one per question and answer
                selectinload(InterviewSessionRecord.questions)
                .selectinload(QuestionRecord.answers)
                .selectinload(AnswerRecord.feedback)
            )
            record = _own(db, InterviewSessionRecord, session_id, user_id, "session", loaded)
            counts = _answer_counts(db, session_id)
            questions = tuple(_question_view(q, i, counts) for i, q in enumerate(record.questions, start=1))
            answers = {
                q.id: tuple(_answer_view(a) for a in sorted(q.answers, key=lambda a: (a.created_at, a.id)))
                for q in record.questions
            }
            plan = record.plan or {}
            route = _route_from_json(plan.get("route"))
            return SessionView(
                _summary(db, record),
                route,
                record.request or "",
                tuple(plan.get("notes", ())),
                questions,
                answers,
            )

    def list_sessions(self, user_id: int) -> list[SessionSummary]:
        """The user's sessions, newest first."""
        with self._factory() as db:
            rows = db.scalars(
                select(InterviewSessionRecord)
                .where(InterviewSessionRecord.user_id == user_id)
                .order_by(InterviewSessionRecord.created_at.desc(), InterviewSessionRecord.id.desc())
            ).all()
            return _summaries(db, rows)


# ----- helpers (module-private) ----------------------------------------------------------------------------


def _own(db: Session, table: Any, obj_id: int, user_id: int, what: str, *options: Any) -> Any:
    record = db.get(table, obj_id, options=options)
    if record is None or record.user_id != user_id:
        raise NotFoundError(f"{what} {obj_id} not found")
    return record


def _own_question(db: Session, question_id: int, user_id: int) -> QuestionRecord:
    q = db.get(QuestionRecord, question_id)
    if q is None or q.session.user_id != user_id:
        raise NotFoundError(f"question {question_id} not found")
    return q


def _own_answer(db: Session, answer_id: int, user_id: int) -> AnswerRecord:
    a = db.get(AnswerRecord, answer_id)
    if a is None or a.question.session.user_id != user_id:
        raise NotFoundError(f"answer {answer_id} not found")
    return a


def _answer_counts(db: Session, session_id: int) -> dict[int, int]:
    rows = db.execute(
        select(AnswerRecord.question_id, func.count(AnswerRecord.id))
        .join(QuestionRecord, QuestionRecord.id == AnswerRecord.question_id)
        .where(QuestionRecord.session_id == session_id)
        .group_by(AnswerRecord.question_id)
    ).all()
    return {qid: int(n) for qid, n in rows}


def _number_of(q: QuestionRecord) -> int:
    return 1 + sum(other.position < q.position for other in q.session.questions)


def _question_view(q: QuestionRecord, number: int, counts: dict[int, int]) -> QuestionView:
    return QuestionView(
        q.id,
        q.session_id,
        number,
        q.text,
        q.topic,
        q.source,
        tuple(q.key_points),
        q.follow_up_of,
        counts.get(q.id, 0),
    )


def _feedback_view(a: AnswerRecord) -> FeedbackView | None:
    fb = a.feedback
    if fb is None:
        return None
    return FeedbackView(a.id, a.question_id, fb.overall, dict(fb.components), tuple(fb.notes))


def _answer_view(a: AnswerRecord) -> AnswerView:
    return AnswerView(
        a.id,
        a.question_id,
        a.text,
        a.modality,
        a.duration_s,
        a.delivery,
        as_utc(a.created_at),
        _feedback_view(a),
    )


def _resume_summary(r: ResumeRecord) -> ResumeSummary:
    sections = tuple(dict.fromkeys(b.section for b in r.bullets))
    return ResumeSummary(r.id, r.filename, len(r.bullets), sections, as_utc(r.created_at))


def _summaries(db: Session, records: Sequence[InterviewSessionRecord]) -> list[SessionSummary]:
    """Summaries for many sessions in three queries, whatever their number (the dashboard lists them all)."""
    ids = [r.id for r in records]
    if not ids:
        return []
    n_questions = dict(
        db.execute(
            select(QuestionRecord.session_id, func.count(QuestionRecord.id))
            .where(QuestionRecord.session_id.in_(ids))
            .group_by(QuestionRecord.session_id)
        ).all()
    )
    answered = dict(
        db.execute(
            select(QuestionRecord.session_id, func.count(func.distinct(AnswerRecord.question_id)))
            .join(AnswerRecord, AnswerRecord.question_id == QuestionRecord.id)
            .where(QuestionRecord.session_id.in_(ids))
            .group_by(QuestionRecord.session_id)
        ).all()
    )
    scored = db.execute(
        select(QuestionRecord.session_id, AnswerRecord.question_id, AnswerRecord.id, FeedbackRecord.overall)
        .join(AnswerRecord, AnswerRecord.question_id == QuestionRecord.id)
        .join(FeedbackRecord, FeedbackRecord.answer_id == AnswerRecord.id)
        .where(QuestionRecord.session_id.in_(ids), FeedbackRecord.overall.is_not(None))
        .order_by(AnswerRecord.id)  # later answers (retries) come last and replace earlier ones
    ).all()
    latest: dict[int, dict[int, float]] = {}
    for session_id, question_id, _answer_id, overall in scored:
        latest.setdefault(session_id, {})[question_id] = float(
            overall or 0.0
        )  # never None: filtered in the query
    out = []
    for r in records:
        scores = list(latest.get(r.id, {}).values())
        out.append(
            SessionSummary(
                r.id,
                r.role,
                r.interview_type,
                r.difficulty,
                r.status,
                r.n_questions,
                int(n_questions.get(r.id, 0)),
                int(answered.get(r.id, 0)),
                round(sum(scores) / len(scores), 1) if scores else None,
                as_utc(r.created_at),
                as_utc(r.finished_at) if r.finished_at else None,
                r.resume_id,
                r.job_description_id,
            )
        )
    return out


def _summary(db: Session, record: InterviewSessionRecord) -> SessionSummary:
    return _summaries(db, [record])[0]


def _route_from_json(data: Any) -> RouteView | None:
    if not isinstance(data, dict):
        return None
    src, conf = data.get("source", {}), data.get("confidence", {})
    return RouteView(
        data["interview_type"],
        data["difficulty"],
        src.get("interview_type", "user"),
        src.get("difficulty", "user"),
        conf.get("interview_type"),
        conf.get("difficulty"),
        tuple(data.get("low_confidence", ())),
    )


def _shift_positions(db: Session, session_id: int, after: int) -> None:
    """Make room at position after+1. Two steps (negate, then flip) so the (session, position) unique
    constraint holds at every row, whatever order the database updates rows in."""
    cond = (QuestionRecord.session_id == session_id) & (QuestionRecord.position > after)
    db.execute(update(QuestionRecord).where(cond).values(position=-QuestionRecord.position - 1))
    db.execute(
        update(QuestionRecord)
        .where((QuestionRecord.session_id == session_id) & (QuestionRecord.position < 0))
        .values(position=-QuestionRecord.position)
    )
    db.expire_all()


def _follow_up_text(q: QuestionRecord, components: dict[str, Any]) -> tuple[str, list[str]]:
    """The follow-up's text and key points."""
    if q.bank_id:
        item = next((b for b in load_bank() if b.id == q.bank_id), None)
        if item is not None and item.follow_ups:
            return item.follow_ups[0], list(q.key_points)
    missed = _missed_points(q, components)
    if missed:
        shown = "; ".join(missed[:2])
        return f"Let's go deeper: how would you address {shown}? Give a concrete example.", missed[:2]
    if components.get("behavioral", {}).get("star"):
        star = components["behavioral"]["star"]
        gaps = [p for p, v in star.items() if isinstance(v, dict) and not v.get("found")]
        if gaps:
            return (
                f"Walk me through that again, and be specific about the {' and the '.join(gaps[:2])}: "
                "what exactly did you do and what changed?",
                [],
            )
    about = f"on {q.topic}" if q.topic else "on that"
    return f"Let's go deeper {about}: what exactly would you do, and why? Give a concrete example.", []


def _missed_points(q: QuestionRecord, components: dict[str, Any]) -> list[str]:
    technical = components.get("technical", {})
    missed = technical.get("missed") if isinstance(technical, dict) else None
    if isinstance(missed, list) and missed:
        return [str(m) for m in missed]
    return []


def _jsonable(obj: Any) -> Any:
    """A JSON-safe copy (numpy numbers, tuples, NaN) for a JSON column."""

    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return str(o)

    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    return clean(json.loads(json.dumps(obj, default=default)))


__all__ = ["FOLLOW_UP_BELOW", "CoachService", "Scorer"]
