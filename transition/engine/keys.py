"""The operation keys Passage sends to Moodle, unique across installations and campaigns.

The plugin answers the operation it already has under a key (that is how a retried job finds
its own operation again), so a key must never name other work: it carries the installation's
key (a new database, a staging portal, a reinstall each have their own), the campaign and the
job's place in its request.
"""

from __future__ import annotations

from transition.models import Campaign, Course, Installation


def installation_key() -> str:
    """This installation's key, as it goes into operation keys (created on first use)."""
    installation, _ = Installation.objects.get_or_create(pk=1)
    return installation.key.hex


def job_key(
    *, installation: str, campaign_id: int, request_id: int, position: int, kind: str
) -> str:
    """The key of a request's job: the same across its attempts and crashes."""
    return f"passage-{installation}-c{campaign_id}-r{request_id}-{position:02d}-{kind}"


def campaign_backup_key(*, installation: str, campaign: Campaign, course: Course) -> str:
    """The key of a campaign's backup of one course (backup week)."""
    return f"passage-{installation}-c{campaign.pk}-backup-{course.pk}"
