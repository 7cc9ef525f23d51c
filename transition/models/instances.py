"""The Moodle platforms Passage talks to."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The only environment variables a platform's token may be read from: naming any other one
# (SECRET_KEY, POSTGRES_PASSWORD) would send it to whatever URL the platform has.
TOKEN_ENV_PREFIX = "MOODLE_TOKEN_"
TOKEN_ENV_VAR_PATTERN = rf"^{TOKEN_ENV_PREFIX}[A-Z0-9_]+\Z"


class MoodleInstance(models.Model):
    """A Moodle site: this year's platform (current) or last year's (previous).

    The web-service token is either read from an environment variable named here (so it never
    touches the database) or stored encrypted (`transition.tokens`); exactly one of the two.
    Building a client is `transition.services.instances.instance_client`, not a model method.
    """

    class Role(models.TextChoices):
        CURRENT = "current", _("Current platform")
        PREVIOUS = "previous", _("Previous platform")

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), help_text=_("Moodle's wwwroot, e.g. https://ecampus.example"))
    token_env_var = models.CharField(
        _("token environment variable"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                TOKEN_ENV_VAR_PATTERN,
                message=_(
                    "The variable's name starts with MOODLE_TOKEN_ and holds only capitals, "
                    "digits and _: Passage reads no other variable of the server."
                ),
            )
        ],
        help_text=_(
            "Name of the environment variable holding the web-service token, starting with "
            "MOODLE_TOKEN_ (e.g. MOODLE_TOKEN_ECAMPUS)."
        ),
    )
    token_encrypted = models.TextField(_("encrypted token"), blank=True, editable=False)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    concurrency_limit = models.PositiveSmallIntegerField(
        _("concurrent operations"),
        default=4,
        help_text=_("How many backups, resets or restores may run at once on this platform."),
    )
    plugin_version = models.CharField(_("Passage plugin version"), max_length=40, blank=True)
    moodle_release = models.CharField(_("Moodle release"), max_length=100, blank=True)
    last_checked_at = models.DateTimeField(_("last check"), null=True, blank=True)
    last_check_error = models.TextField(_("last check error"), blank=True)
    last_synced_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    # The platform's breaker: open while Moodle does not answer. Its jobs wait (no attempt
    # counted) and one of them tries again at `next_probe_at`; admins are told once per outage.
    unreachable_since = models.DateTimeField(_("unreachable since"), null=True, blank=True)
    unreachable_error = models.TextField(_("why unreachable"), blank=True)
    next_probe_at = models.DateTimeField(_("next try"), null=True, blank=True)

    class Meta:
        verbose_name = _("Moodle platform")
        verbose_name_plural = _("Moodle platforms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=Q(role="current"), name="instance_one_current"
            ),
            models.CheckConstraint(
                condition=Q(concurrency_limit__gt=0), name="instance_concurrency_positive"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["current", "previous"]), name="instance_role_valid"
            ),
            models.CheckConstraint(
                condition=(Q(token_env_var="") & ~Q(token_encrypted=""))
                | (~Q(token_env_var="") & Q(token_encrypted="")),
                name="instance_one_token_source",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The same rule `instance_client` enforces, told when the platform is saved.
        if self.url and urlsplit(self.url).scheme != "https" and not settings.MOODLE_ALLOW_HTTP:
            raise ValidationError(
                {"url": _("Give an https:// address: Passage sends no token over plain HTTP.")}
            )
