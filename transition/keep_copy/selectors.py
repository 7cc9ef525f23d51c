"""Which kept copy a person may see on a request's page."""

from __future__ import annotations

from dataclasses import dataclass

from transition import permissions
from transition.keep_copy.counts import kept_lines
from transition.models import Job, KeptCopy, TransitionRequest
from transition.permissions import UserLike


@dataclass(frozen=True)
class KeptCopyView:
    """What the request's page shows of its kept copy: `copy` is None until it is built;
    `lines` are (key, label, the review's count, the copy's count or None)."""

    copy: KeptCopy | None
    may_download: bool
    job_status: str
    lines: list[tuple[str, str, int, int | None]]


def kept_copy_for(*, request: TransitionRequest, user: UserLike) -> KeptCopyView | None:
    """None when the request asked for no copy."""
    job = request.jobs.filter(kind=Job.Kind.KEEP_COPY).first()
    if job is None:
        return None
    copy = KeptCopy.objects.filter(request=request).first()
    reviewed = dict((request.review_snapshot or {}).get("kept") or {})
    lines = [
        (key, label, count, int(copy.counts.get(key, 0)) if copy else None)
        for key, label, count in kept_lines(reviewed)
    ]
    return KeptCopyView(
        copy=copy,
        may_download=permissions.can_download_kept_copy(user, request.course),
        job_status=job.get_status_display(),
        lines=lines,
    )
