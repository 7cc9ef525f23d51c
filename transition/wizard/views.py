"""The wizard behind /requests/new/: django-formtools, one template per step.

Moodle is read outside any transaction: the inventories when the options step opens, again
(fresh) when the review is shown; the review is kept in the wizard's session storage so the
requests store exactly what the teacher saw. `done()` only writes, in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from formtools.wizard.views import SessionWizardView

from moodle_client import MoodleClient
from moodle_client.errors import MoodleError
from moodle_client.types.passage import CourseInventory
from transition.engine.services import requests_asap_start
from transition.error_texts import error_for_people
from transition.errors import (
    CampaignNotOpen,
    CourseExcluded,
    NotAllowed,
    RequestAlreadyOpen,
    TransitionError,
)
from transition.models import Campaign, Cohort, Course, MoodleInstance, TransitionRequest
from transition.notifications.emails import notify_request_submitted
from transition.outcome import request_outcome
from transition.permissions import is_staff_role
from transition.review.engine import ReviewFacts
from transition.review.gather import (
    cohort_sizes_read,
    course_review_build,
    inventory_to_json,
    review_facts_read,
    review_rescheduled,
)
from transition.review.policy_locks import option_rules
from transition.review.results import CourseReview
from transition.selectors import campaign_active, instance_current
from transition.services.cohorts import cohort_successors_by_name
from transition.services.instances import instance_client
from transition.services.request_create import (
    ReviewBlocked,
    ReviewedRequest,
    request_timing,
    requests_create_reviewed,
)
from transition.teaching import campaign_courses_for_teacher
from transition.wizard.option_forms import (
    TAKES_COHORTS,
    CourseOptionsForm,
    OptionsStepForm,
    options_preset,
)
from transition.wizard.review_summary import review_headline
from transition.wizard.scenario_forms import ScenarioStepForm
from transition.wizard.specs import spec_build
from transition.wizard.step_forms import ConfirmForm, CourseSelectionForm, ReviewForm

STEP_TITLES = {
    "courses": gettext_lazy("Courses"),
    "scenarios": gettext_lazy("Scenarios"),
    "options": gettext_lazy("Options"),
    "review": gettext_lazy("Review"),
    "confirm": gettext_lazy("Confirm"),
}
PRESET_FIELD = "options_preset"


def options_needed(wizard: RequestWizardView) -> bool:
    """The options step only concerns courses that are reset, copied or restored.

    Reads the stored answers, not the cleaned data: formtools evaluates conditions while it
    works out the step list, and cleaning a step from here would ask for that list again.
    """
    data = wizard.storage.get_step_data("scenarios")
    if data is None:
        return True
    return any(
        value in TAKES_COHORTS
        for key in data
        if key.endswith("-scenario")
        for value in data.getlist(key)
    )


def _minimal_inventory(course: Course) -> CourseInventory:
    """Stands in for a course Moodle refused to describe; its review then blocks the request."""
    return CourseInventory.from_json(
        {
            "course": {
                "id": course.moodle_id,
                "shortname": course.shortname,
                "fullname": course.fullname,
                "categoryid": 0,
                "visible": course.visible,
            },
            "modules": [],
            "enrolments": [],
        }
    )


class RequestWizardView(LoginRequiredMixin, SessionWizardView):
    form_list = [
        ("courses", CourseSelectionForm),
        ("scenarios", ScenarioStepForm),
        ("options", OptionsStepForm),
        ("review", ReviewForm),
        ("confirm", ConfirmForm),
    ]
    condition_dict = {"options": options_needed}

    campaign: Campaign

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        campaign = campaign_active()
        if campaign is None or campaign.status != Campaign.Status.OPEN:
            return render(
                request, "transition/wizard/closed.html", {"campaign": campaign}, status=409
            )
        self.campaign = campaign
        self._cache: dict[str, Any] = {}
        try:
            return super().dispatch(request, *args, **kwargs)
        except MoodleError as error:
            context = {
                "error": error,
                "explained": error_for_people(error.errorcode or "connectionerror"),
                "technical": is_staff_role(request.user),
            }
            return render(request, "transition/wizard/moodle_error.html", context, status=503)

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        # One storage per browser tab: two tabs never overwrite each other's answers.
        return f"request_wizard_{kwargs['tab']}"

    def get_template_names(self) -> list[str]:
        return [f"transition/wizard/{self.steps.current}.html"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.storage.reset()
        self.storage.current_step = self.steps.first
        self.storage.extra_data = {
            "preselected": [int(pk) for pk in request.GET.getlist("course") if pk.isdigit()]
        }
        return self.render(self.get_form())

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        preset = self.request.POST.get(PRESET_FIELD)
        if preset in ("default", "clear") and self.steps.current == "options":
            form = self.get_form(data=self.request.POST)
            data = options_preset(data=self.request.POST, step=form, preset=preset)
            return self.render(self.get_form(data=data))
        return super().post(*args, **kwargs)

    # What each step's form is given ---------------------------------------------------------

    def get_form_initial(self, step: str) -> dict[str, Any]:
        if step == "courses":
            return {"courses": self.storage.extra_data.get("preselected", [])}
        return {}

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        user = self.request.user
        if step == "courses":
            return {
                "courses": campaign_courses_for_teacher(user=user, campaign=self.campaign),
                "user": user,
            }
        if step == "scenarios":
            return {
                "courses": self.selected_courses(),
                "campaign": self.campaign,
                "user": user,
                "client": self.client(),
            }
        if step == "options":
            return {"courses": self.selected_courses(), "course_context": self.options_context()}
        if step == "review":
            return {"reviews": self.reviews()}
        if step == "confirm":
            headlines = [review_headline(review) for review in self.reviews()]
            return {
                "campaign": self.campaign,
                "courses": len(headlines),
                "deletes": any(h.deleted_total or h.unenrolled_total for h in headlines),
            }
        return {}

    def client(self) -> MoodleClient:
        if "client" not in self._cache:
            instance = self.selected_instance()
            if instance is None:
                raise MoodleError("No Moodle platform is configured.")
            self._cache["client"] = instance_client(instance=instance)
        return self._cache["client"]

    def selected_instance(self) -> MoodleInstance | None:
        """The platform of the chosen courses (all on the current one, by the course query)."""
        courses = self.selected_courses()
        if courses:
            return courses[0].instance
        return instance_current()

    def selected_courses(self) -> list[Course]:
        if "courses" not in self._cache:
            data = self.get_cleaned_data_for_step("courses") or {}
            self._cache["courses"] = list(data.get("courses") or [])
        return self._cache["courses"]

    def scenario_forms(self) -> dict[int, Any]:
        """Each selected course's validated scenario form, by course pk."""
        if "scenario_forms" not in self._cache:
            step = self.get_form(
                step="scenarios", data=self.storage.get_step_data("scenarios") or {}
            )
            step.is_valid()
            self._cache["scenario_forms"] = {course.pk: form for course, form in step}
        return self._cache["scenario_forms"]

    def option_forms(self) -> dict[int, CourseOptionsForm]:
        if "option_forms" not in self._cache:
            forms: dict[int, CourseOptionsForm] = {}
            if "options" in self.get_form_list():
                step = self.get_form(
                    step="options", data=self.storage.get_step_data("options") or {}
                )
                step.is_valid()
                forms = {course.pk: form for course, form in step}  # type: ignore[misc]
            self._cache["option_forms"] = forms
        return self._cache["option_forms"]

    def inventories(self, *, fresh: bool) -> dict[int, tuple[CourseInventory | None, ReviewFacts]]:
        """Each selected course's inventory and review facts, read from Moodle.

        `fresh=False` reuses those the wizard already read (for the options step's fields).
        """
        stored: dict[str, Any] = self.storage.extra_data.setdefault("inventories", {})
        answer: dict[int, tuple[CourseInventory | None, ReviewFacts]] = {}
        for course in self.selected_courses():
            key = str(course.pk)
            if not fresh and key in stored:
                raw = stored[key]
                inventory = CourseInventory.from_json(raw) if raw else None
                answer[course.pk] = (inventory, ReviewFacts())
                continue
            source = self.scenario_forms().get(course.pk)
            source_course = source.source_course() if source and source.is_valid() else None
            inventory, facts = review_facts_read(
                client=self.client(),
                course=course,
                user=self.request.user,
                source_label=str(source_course) if source_course else "",
                source=source_course,
            )
            stored[key] = inventory_to_json(inventory) if inventory else None
            answer[course.pk] = (inventory, facts)
        self.storage.extra_data = self.storage.extra_data  # mark the session modified
        return answer

    def options_context(self) -> dict[int, dict[str, Any]]:
        rules = list(self.campaign.policy.rules.all())
        scenario_forms = self.scenario_forms()
        context: dict[int, dict[str, Any]] = {}
        for course in self.selected_courses():
            scenario_form = scenario_forms.get(course.pk)
            scenario = (
                scenario_form.cleaned_data.get("scenario", "no_change")
                if scenario_form is not None and scenario_form.is_valid()
                else "no_change"
            )
            context[course.pk] = {
                "scenario": scenario,
                "campaign": self.campaign,
                "successors": self.successors(course),
            }
        if any(c["scenario"] in TAKES_COHORTS for c in context.values()):
            inventories = self.inventories(fresh=False)
            for course in self.selected_courses():
                inventory = inventories[course.pk][0] or _minimal_inventory(course)
                context[course.pk]["inventory"] = inventory
                context[course.pk]["governed"] = option_rules(rules=rules, inventory=inventory)
        else:
            for course in self.selected_courses():
                context[course.pk]["inventory"] = _minimal_inventory(course)
                context[course.pk]["governed"] = {}
        return context

    @staticmethod
    def successors(course: Course) -> dict[str, str]:
        """Each cohort's successor idnumber (next year's cohort), for the cohort suggestions:
        the one recorded (Apogée import or by hand), else the next version of its name."""
        cohorts = Cohort.objects.filter(instance=course.instance)
        recorded = dict(
            cohorts.filter(successor__isnull=False).values_list("idnumber", "successor__idnumber")
        )
        return {**cohort_successors_by_name(cohorts.values_list("idnumber", flat=True)), **recorded}

    # The review -----------------------------------------------------------------------------

    def _fingerprint(self) -> str:
        answers = []
        for step in ("courses", "scenarios", "options"):
            data = self.storage.get_step_data(step)
            answers.append(dict(data.lists()) if data else {})
        return hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()

    def reviews(self) -> list[CourseReview]:
        """The review of every selected course, read fresh from Moodle once per set of answers."""
        fingerprint = self._fingerprint()
        stored = self.storage.extra_data.get("review")
        if stored and stored["fingerprint"] == fingerprint:
            return [CourseReview.from_json(item) for item in stored["reviews"]]
        rules = list(self.campaign.policy.rules.all())
        inventories = self.inventories(fresh=True)
        reviews = []
        for course in self.selected_courses():
            spec = self.spec_for(course)
            inventory, facts = inventories[course.pk]
            if spec.adds_cohorts:
                sizes = cohort_sizes_read(
                    client=self.client(),
                    course=course,
                    idnumbers=[change.cohort_idnumber for change in spec.adds_cohorts],
                )
                facts = dataclasses.replace(facts, cohort_sizes=sizes)
            reviews.append(
                course_review_build(
                    course=course,
                    spec=spec,
                    rules=rules,
                    inventory=inventory,
                    facts=facts,
                    campaign=self.campaign,
                )
            )
        self.storage.extra_data["review"] = {
            "fingerprint": fingerprint,
            "reviews": [review.to_json() for review in reviews],
        }
        self.storage.extra_data = self.storage.extra_data
        return reviews

    def spec_for(self, course: Course, *, asap: bool = False) -> Any:
        scenario_form = self.scenario_forms()[course.pk]
        return spec_build(
            course=course,
            campaign=self.campaign,
            user=self.request.user,
            scenario=scenario_form.cleaned_data,
            source=scenario_form.source_course(),
            options=self.option_forms().get(course.pk),
            asap=asap,
        )

    # Rendering and the end ------------------------------------------------------------------

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["campaign"] = self.campaign
        context["step_titles"] = [
            (step, STEP_TITLES[step], step == self.steps.current) for step in self.get_form_list()
        ]
        if self.steps.current in ("review", "confirm"):
            reviews = form.reviews if self.steps.current == "review" else self.reviews()
            context["reviews"] = reviews
            context["review_items"] = self.review_items(reviews)
        if self.steps.current == "confirm":
            context["timings"] = self.timings(context["review_items"])
        return context

    def timings(self, items: list[tuple[CourseReview, Any, Any]]) -> list[Any]:
        """Each course's review, outcome and headline, with when it would run for each choice
        of "when" (the confirm step)."""
        courses = {course.moodle_id: course for course in self.selected_courses()}
        now = timezone.now()
        return [
            (
                review,
                outcome,
                headline,
                request_timing(
                    campaign=self.campaign,
                    on_run_date=self.spec_for(courses[review.course_moodle_id]),
                    asap=self.spec_for(courses[review.course_moodle_id], asap=True),
                    now=now,
                ),
            )
            for review, outcome, headline in items
        ]

    def review_items(self, reviews: list[CourseReview]) -> list[tuple[CourseReview, Any, Any]]:
        """Each course's review, what it leaves in Moodle (new course, archive, calendar) and
        its headline, as the review and confirm steps show them."""
        courses = {course.moodle_id: course for course in self.selected_courses()}
        items = []
        for review in reviews:
            course = courses[review.course_moodle_id]
            outcome = request_outcome(spec=self.spec_for(course), course=course)
            items.append((review, outcome, review_headline(review)))
        return items

    def done(self, form_list: Any, form_dict: dict[str, Any], **kwargs: Any) -> HttpResponse:
        confirm: ConfirmForm = form_dict["confirm"]
        reviews = {review.course_moodle_id: review for review in form_dict["review"].reviews}
        specs = {
            course.pk: self.spec_for(course, asap=confirm.asap)
            for course in self.selected_courses()
        }
        reviewed = [
            ReviewedRequest(
                course=course,
                spec=specs[course.pk],
                # The dates it runs at, as confirmed ("as soon as possible" or the run date).
                review=review_rescheduled(
                    reviews[course.moodle_id], campaign=self.campaign, spec=specs[course.pk]
                ),
                source_course=self.scenario_forms()[course.pk].source_course(),
            )
            for course in self.selected_courses()
        ]
        try:
            with transaction.atomic():
                created = requests_create_reviewed(
                    campaign=self.campaign, requested_by=self.request.user, reviewed=reviewed
                )
                for waiting in created:
                    if waiting.status == TransitionRequest.Status.PENDING_APPROVAL:
                        transaction.on_commit(
                            lambda pk=waiting.pk: notify_request_submitted(request_id=pk)
                        )
        except TransitionError as error:
            messages.error(
                self.request, _("Nothing was requested: %(why)s") % {"why": refusal_text(error)}
            )
            return redirect("teacher_courses")
        requests_asap_start(requests=created)
        if len(created) == 1:
            # Its page follows the request live: a status told here would soon be out of date.
            messages.success(
                self.request,
                _("%(course)s: request recorded.") % {"course": created[0].course.shortname},
            )
            return redirect("request_detail", pk=created[0].pk)
        for request in created:
            messages.success(
                self.request,
                _("%(course)s: %(status)s.")
                % {"course": request.course.shortname, "status": request.get_status_display()},
            )
        return redirect("teacher_courses")


def refusal_text(error: TransitionError) -> str:
    """Why the confirmed requests were refused, as a sentence in the teacher's language."""
    if isinstance(error, RequestAlreadyOpen):
        return _("meanwhile, someone else opened a request on one of these courses.")
    if isinstance(error, CampaignNotOpen):
        return _("the campaign no longer takes choices.")
    if isinstance(error, ReviewBlocked):
        return _("the review of a course blocks it; go back and read its warnings.")
    if isinstance(error, CourseExcluded):
        return _("the campaign leaves one of these courses alone.")
    if isinstance(error, NotAllowed):
        return _("you may no longer prepare one of these courses.")
    return _("a course changed meanwhile; start again from your course list.")


def wizard_start(request: HttpRequest) -> HttpResponseRedirect:
    """A new tab of the wizard, keeping the courses chosen on /courses/."""
    tab = uuid.uuid4().hex[:12]
    url = reverse("request_wizard", kwargs={"tab": tab})
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{url}?{query}" if query else url)
