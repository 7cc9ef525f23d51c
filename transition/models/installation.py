"""This portal's identity towards Moodle: one row, created once, never changed."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Installation(models.Model):
    """The installation whose database this is.

    Its key is part of every operation key sent to Moodle, so that two portals on one Moodle (a
    staging portal, a reinstall, a database started afresh) never send the same key for
    different work: numbering restarts with a new database, the installation key does not repeat.
    """

    key = models.UUIDField(_("installation key"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installation")

    def __str__(self) -> str:
        return str(self.key)
