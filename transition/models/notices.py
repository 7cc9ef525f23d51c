"""Which request news was already e-mailed, so that nobody is told the same thing twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from transition.models.requests import TransitionRequest


class RequestNotice(models.Model):
    """One e-mail round about a request reaching a state (submitted again: a new round)."""

    request = models.ForeignKey(TransitionRequest, on_delete=models.CASCADE, related_name="notices")
    status = models.CharField(_("status"), max_length=20)
    # The submission the news belongs to (its time, else the request's creation): a request
    # sent back and submitted again is news again.
    round_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request notice")
        verbose_name_plural = _("request notices")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "status", "round_at"], name="requestnotice_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"
