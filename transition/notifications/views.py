"""A person chooses the language of the e-mails Passage sends them."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transition.notifications.emails import user_language, user_set_language


class EmailLanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of my e-mails"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]


@login_required
def email_language(request: HttpRequest) -> HttpResponse:
    form = EmailLanguageForm(
        request.POST or None,
        initial={"language": user_language(request.user)},  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        user_set_language(user=request.user, language=form.cleaned_data["language"])  # type: ignore[arg-type]
        messages.success(request, _("Your e-mails will come in this language."))
        return redirect("notifications:language")
    return render(request, "transition/notifications/language.html", {"form": form})


app_name = "notifications"
urlpatterns = [path("language/", email_language, name="language")]
