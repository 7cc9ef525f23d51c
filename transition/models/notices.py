"""Which request news was already e-mailed, so that nobody is told the same thing twice."""

from django.conf import settings
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


class MailDelivery(models.Model):
    """One e-mail to one person, kept until the mail server took it.

    Rendered once, in the recipient's language, when the news happens; sending is tried at
    once and, while the mail server refuses or cannot be reached, again with a growing delay.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not delivered yet")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Given up")

    notice = models.ForeignKey(
        RequestNotice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mail_deliveries",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
