"""Evidence files of rectifications and verifications: uploaded here, then named by their
SHA-256 in `POST /hazards/{id}/rectification` and `POST /hazards/{id}/verification`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Request, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from pingan.api.deps import Runtime
from pingan.api.files import FileUploaded, serve_file, take_upload
from pingan.api.limits import body_limit
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.files.media import ACCEPTED

router = APIRouter(prefix="/hazards/evidence", tags=["hazards"])

Sha256 = Annotated[str, Path(description="The file's SHA-256, as its upload answered")]


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=body_limit("upload"))
def upload_evidence(
    grant: Annotated[Grant, requires(A.HAZARDS_REPORT)],
    file: Annotated[
        UploadFile,
        File(description="A photo (JPEG, PNG, HEIC/HEIF, WebP) or a PDF, as multipart/form-data"),
    ],
    runtime: Runtime,
    request: Request,
    response: Response,
) -> FileUploaded:
    """Upload a file of evidence (a photo or a PDF); the same file twice is stored once."""
    stored = take_upload(
        runtime.files, file.file, file.size, file.filename, runtime.settings.files_max_bytes
    )
    href = str(request.url_for("get_evidence", sha256=stored.sha256).path)
    response.headers["Location"] = href
    return FileUploaded(
        sha256=stored.sha256,
        size=stored.size,
        media_type=stored.media_type,
        name=stored.name,
        href=href,
    )


@router.get(
    "/{sha256}",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in ACCEPTED}}},
)
def get_evidence(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)], sha256: Sha256, runtime: Runtime
) -> StreamingResponse:
    """One file of evidence, with its type."""
    return serve_file(runtime.files, sha256.lower())
