"""Which teacher was reminded to choose, in which round, so nobody is reminded twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from transition.models.campaigns import Campaign


class ChoiceReminder(models.Model):
    """One reminder e-mail to one teacher: a scheduled round ("first", "second") or one an
    admin sent from the dashboard ("now-<date>"). Claimed before the e-mail goes out."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="choice_reminders"
    )
    round = models.CharField(_("round"), max_length=20)
    courses = models.PositiveIntegerField(_("courses without a choice"), default=0)
    sent = models.BooleanField(_("sent"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("choice reminder")
        verbose_name_plural = _("choice reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "round"], name="choicereminder_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.user} {self.round}"
