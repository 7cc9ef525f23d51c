from django import forms
from django.utils.translation import gettext_lazy as _

from transition.models import MoodleInstance

MAX_APOGEE_FILE_BYTES = 20 * 1024 * 1024


class ApogeeImportForm(forms.Form):
    instance = forms.ModelChoiceField(
        label=_("Moodle platform"),
        queryset=MoodleInstance.objects.all(),
        help_text=_("The platform whose cohorts the file describes."),
    )
    file = forms.FileField(
        label=_("Apogée export (CSV)"),
        help_text=_(
            "Columns: code étape, version, libellé, composante, campus, année; separated by ';' "
            "or ','; UTF-8 or Latin-1."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_APOGEE_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return bytes(upload.read())


class MoodleInstanceAdminForm(forms.ModelForm):
    """Takes the token in clear once and stores it encrypted; never shows it back."""

    url = forms.URLField(label=_("URL"), assume_scheme="https")
    token = forms.CharField(
        label=_("Web-service token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored token or to use the environment variable."),
    )

    class Meta:
        model = MoodleInstance
        fields = ["name", "url", "role", "token_env_var", "concurrency_limit"]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        has_stored = bool(self.instance.pk and self.instance.token_encrypted)
        if cleaned.get("token") and cleaned.get("token_env_var"):
            raise forms.ValidationError(
                _("Give either the token or the environment variable's name, not both.")
            )
        if not cleaned.get("token") and not cleaned.get("token_env_var") and not has_stored:
            raise forms.ValidationError(
                _("Give the token or the name of the environment variable that holds it.")
            )
        return cleaned
