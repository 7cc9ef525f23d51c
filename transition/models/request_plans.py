"""What a confirmed request will do, exactly as reviewed: the job engine's input."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from transition.models.requests import TransitionRequest
from transition.request_spec import RequestSpec


class RequestPlan(models.Model):
    """The `RequestSpec` of a request (`transition.request_spec` documents the JSON shape).

    Written once by the wizard when the teacher confirms; the engine plans its jobs from it.
    """

    request = models.OneToOneField(TransitionRequest, on_delete=models.CASCADE, related_name="plan")
    spec = models.JSONField(_("specification"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request plan")
        verbose_name_plural = _("request plans")

    def __str__(self) -> str:
        return f"{self.request} plan"

    def as_spec(self) -> RequestSpec:
        return RequestSpec.from_json(self.spec)
