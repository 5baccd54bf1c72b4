"""The prep-guide page: upload a project (.zip) or paste its README, get the guide as a page or as Markdown.
The guide itself comes from `interviewmate.prepguide.guide_from_upload`; this module only parses and renders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from interviewmate.errors import InterviewMateError
from interviewmate.web.deps import HubDep, UserDep
from interviewmate.web.limits import MAX_ZIP_BYTES
from interviewmate.web.render import render
from interviewmate.web.uploads import read_capped

router = APIRouter(include_in_schema=False)
MAX_README_CHARS = 200_000


@router.get("/prep")
def prep_form(request: Request, user: UserDep) -> Response:
    return render(request, "prep.html", max_mb=MAX_ZIP_BYTES // 1_000_000)


@router.post("/prep")
async def prep_build(
    request: Request,
    user: UserDep,
    hub: HubDep,
    file: Annotated[UploadFile | None, File()] = None,
    readme: Annotated[str, Form(max_length=MAX_README_CHARS)] = "",
    role: Annotated[str, Form(max_length=80)] = "",
    use_llm: Annotated[bool, Form()] = False,
    output: Annotated[str, Form(pattern="^(page|markdown)$")] = "page",
) -> Response:
    from interviewmate.prepguide import guide_from_upload, render_html, render_markdown

    def again(error: str) -> Response:
        return render(
            request,
            "prep.html",
            400,
            max_mb=MAX_ZIP_BYTES // 1_000_000,
            error=error,
            readme=readme,
            role=role,
        )

    try:
        if file is not None and file.filename:
            filename, data = file.filename, await read_capped(file, MAX_ZIP_BYTES)
        elif readme.strip():
            filename, data = "README.md", readme.encode("utf-8")
        else:
            return again("upload a .zip of your project or paste its README")
        coach = hub.coach()
        guide = await run_in_threadpool(
            guide_from_upload,
            filename,
            data,
            hub.settings,
            role=role.strip() or None,
            use_llm=use_llm,
            embedder=coach.embedder,
            backend=coach.backend if use_llm else None,
        )
    except InterviewMateError as exc:
        return again(str(exc))
    if output == "markdown":
        return Response(
            render_markdown(guide),
            media_type="text/markdown; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="prep-guide.md"',
                "X-Content-Type-Options": "nosniff",
            },
        )
    return HTMLResponse(render_html(guide))
