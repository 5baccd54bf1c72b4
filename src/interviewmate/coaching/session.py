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

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from interviewmate.coaching.scoring import ScoringContext, score_answer
from interviewmate.coaching.session_follow_up import FOLLOW_UP_BELOW, follow_up_text
from interviewmate.coaching.session_plan import check_choices, choose_role, choose_route, plan_questions
from interviewmate.coaching.session_rows import (
    answer_counts,
    answer_view,
    feedback_view,
    jsonable,
    loaded_summary,
    number_of,
    own,
    own_answer,
    own_question,
    question_view,
    resume_summary,
    route_from_json,
    shift_positions,
    summaries,
    summary,
)
from interviewmate.coaching.session_views import (
    FeedbackView,
    JobDescriptionSummary,
    QuestionView,
    ResumePoint,
    ResumeSummary,
    SampleAnswerView,
    SessionSummary,
    SessionView,
)
from interviewmate.config import Settings
from interviewmate.domain import Bullet, Difficulty, Feedback, InterviewType, Question, RetrievedBullet, Role
from interviewmate.errors import DataError
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
    def embedder(self) -> Embedder:
        """The sentence embedder the checks and the scorer use (other services may share it)."""
        return self._embedder

    @property
    def backend(self) -> LLMBackend:
        """The LLM backend the engine writes with (other services may share it; do not close it)."""
        return self._backend

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
            return [resume_summary(r) for r in rows]

    def resume_bullets(self, user_id: int, resume_id: int) -> list[Bullet]:
        """The resume's bullets in document order."""
        with self._factory() as db:
            record = own(db, ResumeRecord, resume_id, user_id, "resume")
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
                own(db, ResumeRecord, resume_id, user_id, "resume")
            jd = (
                own(db, JobDescriptionRecord, jd_id, user_id, "job description")
                if jd_id is not None
                else None
            )
            jd_text, jd_title, jd_role = (jd.text, jd.title, jd.role) if jd else ("", "", None)
        resolved_role = choose_role(role, jd_title, jd_role, self._embedder)
        route, notes = choose_route(
            self._get_router, resolved_role, request, jd_text, interview_type, difficulty
        )
        planned, more = plan_questions(
            self._backend,
            self._embedder,
            resolved_role,
            route.interview_type,
            route.difficulty,
            n,
            jd_text,
            cache_dir=self._settings.model_cache_dir,
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
            record = own(db, InterviewSessionRecord, session_id, user_id, "session")
            counts = answer_counts(db, session_id)
            views = [question_view(q, i, counts) for i, q in enumerate(record.questions, start=1)]
            first = next((v for v in views if v.n_answers == 0), None)
            answered = sum(v.n_answers > 0 for v in views)
            return ResumePoint(session_id, first, answered, len(views))

    def get_question(self, user_id: int, question_id: int) -> QuestionView:
        with self._factory() as db:
            q = own_question(db, question_id, user_id)
            counts = answer_counts(db, q.session_id)
            return question_view(q, number_of(q), counts)

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
        again (a retry) adds a new answer and keeps the old one. A finished session takes no more answers."""
        if modality not in MODALITIES:
            raise DataError(f"modality must be one of {', '.join(MODALITIES)} (got {modality!r})")
        if modality == "text" and not text.strip():
            raise DataError("the answer is empty: type your answer (or skip the question)")
        if len(text) > MAX_ANSWER_CHARS:
            raise DataError(f"the answer is over {MAX_ANSWER_CHARS:,} characters: shorten it")
        if duration_s is not None and not (math.isfinite(duration_s) and duration_s >= 0):
            raise DataError("the recording's duration must be a non-negative number of seconds")
        with self._factory() as db:
            q = own_question(db, question_id, user_id)
            if q.session.status == "finished":
                raise DataError(
                    f"session {q.session_id} is finished and its report is final: start a new session to "
                    "practise again"
                )
            answer = AnswerRecord(
                question_id=q.id,
                text=text,
                modality=modality,
                media_path=media_path,
                duration_s=duration_s,
                delivery=jsonable(delivery) if delivery is not None else None,
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
            a = own_answer(db, answer_id, user_id)
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
            resume_text = resume.raw_text if resume else ""
        context = ScoringContext(
            embedder=self._embedder, bullets=bullets, resume_text=resume_text, delivery=delivery
        )
        pre_notes: list[str] = []
        if not question.key_points and not question.reference_answer:
            question, pre_notes = self._draft_key_points(question, question_id)
        try:
            feedback = self._scorer(question, answer_text, context)
            overall = None if feedback.overall is None else float(feedback.overall)
            components = jsonable(feedback.components)
            notes = pre_notes + [str(n) for n in feedback.notes]
        except Exception as exc:  # any scorer failure: keep the answer, say why there is no score
            overall, components = None, {}
            notes = [f"scoring failed ({type(exc).__name__}: {exc}); your answer is saved, try scoring again"]
        with self._factory() as db:
            a = own_answer(db, answer_id, user_id)
            if a.feedback is not None:
                db.delete(a.feedback)
                db.flush()
            a.feedback = FeedbackRecord(overall=overall, components=components, notes=notes)
            db.commit()
        return FeedbackView(answer_id, question_id, overall, components, tuple(notes))

    def _draft_key_points(self, question: Question, question_id: int) -> tuple[Question, list[str]]:
        """A generated question with no bank match has nothing to grade coverage against: ask the generator
        for key points once and keep them on the question (later answers and retries reuse them)."""
        from dataclasses import replace

        from interviewmate.coaching.scoring_reference import draft_key_points
        from interviewmate.errors import InterviewMateError

        try:
            points = draft_key_points(self._backend, question.text)
        except InterviewMateError as exc:
            return question, [f"the generator could not draft key points ({exc}): coverage not scored"]
        if not points:
            return question, ["the generator's key points were unusable: coverage not scored"]
        with self._factory() as db:
            record = db.get(QuestionRecord, question_id)
            if record is not None:
                record.key_points = list(points)
                db.commit()
        note = f"key points drafted by the generator ({len(points)}; a small model wrote them: a rough guide)"
        return replace(question, key_points=tuple(points)), [note]

    def feedback(self, user_id: int, answer_id: int) -> FeedbackView | None:
        """The stored feedback for an answer, or None when it has not been scored."""
        with self._factory() as db:
            a = own_answer(db, answer_id, user_id)
            return feedback_view(a)

    def maybe_follow_up(self, user_id: int, answer_id: int) -> QuestionView | None:
        """After a weak scored answer (overall < FOLLOW_UP_BELOW), insert one follow-up question right after
        its question: the bank question's own follow-up when it came from the bank, else a probe on the key
        points it missed. Returns it, or None when the answer is fine, unscored, already followed up, or
        itself a follow-up."""
        with self._factory() as db:
            a = own_answer(db, answer_id, user_id)
            q = a.question
            fb = a.feedback
            if fb is None or fb.overall is None or fb.overall >= FOLLOW_UP_BELOW or q.source == "follow_up":
                return None
            exists = db.scalar(select(QuestionRecord.id).where(QuestionRecord.follow_up_of == q.id))
            if exists is not None:
                return None
            text, key_points = follow_up_text(q, fb.components)
            shift_positions(db, q.session_id, after=q.position)
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
            return question_view(follow, number_of(follow), {})

    def sample_answer(self, user_id: int, question_id: int, k: int = 5) -> SampleAnswerView:
        """A sample answer to the question built only from the session resume's most relevant bullets, cited
        as [1], [2] ... When the session has no resume the answer is empty and a note says why."""
        from interviewmate.retrieval.service import retrieve_for_resume

        with self._factory() as db:
            q = own_question(db, question_id, user_id)
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
            record = own(db, InterviewSessionRecord, session_id, user_id, "session")
            if record.status != "finished":
                record.status, record.finished_at = "finished", datetime.now(UTC)
                db.commit()
            return summary(db, record)

    def get_session(self, user_id: int, session_id: int) -> SessionView:
        """The whole session: route, notes, questions in order, every answer with its feedback."""
        with self._factory() as db:
            loaded = (  # questions, answers and feedback in three queries, not one per question and answer
                selectinload(InterviewSessionRecord.questions)
                .selectinload(QuestionRecord.answers)
                .joinedload(AnswerRecord.feedback)
            )
            record = own(db, InterviewSessionRecord, session_id, user_id, "session", loaded)
            counts = {q.id: len(q.answers) for q in record.questions}
            questions = tuple(question_view(q, i, counts) for i, q in enumerate(record.questions, start=1))
            answers = {
                q.id: tuple(answer_view(a) for a in sorted(q.answers, key=lambda a: (a.created_at, a.id)))
                for q in record.questions
            }
            plan = record.plan or {}
            route = route_from_json(plan.get("route"))
            return SessionView(
                loaded_summary(record),
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
            return summaries(db, rows)


__all__ = ["FOLLOW_UP_BELOW", "CoachService", "Scorer"]
