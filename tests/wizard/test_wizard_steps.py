"""Every step of the wizard and every refusal, through the Django test client (no JavaScript).

The Moodle behind it is the stand-in's `small` site, synced into Passage; the campaign applies
the Caen policy (seed 001).
"""

import datetime

import pytest
from django.conf import settings

from tests.factories import CourseRoleFactory, TransitionRequestFactory, UserFactory
from tests.wizard.conftest import Wizard
from transition.models import Campaign, TransitionRequest
from transition.review.results import Fate

Status = TransitionRequest.Status


def errors_of(wizard: Wizard) -> str:
    return wizard.page.content.decode()


def walk_to_review(world, course, scenario, **fields):
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": scenario, **fields}})
    if wizard.step == "options":
        wizard.options()
    assert wizard.step == "review", wizard.page.context["wizard"]["form"].errors
    return wizard


def test_one_course_reuse_reset_end_to_end(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    assert wizard.step == "courses"
    assert wizard.page.context["wizard"]["form"]["courses"].value() == [course.pk]
    wizard.courses(course)
    assert wizard.step == "scenarios"
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert wizard.step == "options"
    wizard.options()
    assert wizard.step == "review"
    review = wizard.reviews()["CHIM231-2025"]
    posts = [r for r in review.rows if r.modname == "forum" and r.kind == "posts"]
    assert posts and all(r.fate == Fate.DELETED for r in posts)
    assert b'data-testid="review-CHIM231-2025"' in wizard.page.content
    wizard.submit({})
    assert wizard.step == "confirm"
    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    assert response.status_code == 302
    request = TransitionRequest.objects.get(course=course)
    assert request.status == Status.SCHEDULED
    assert request.run_at == world.campaign.run_date
    assert response["Location"] == f"/requests/{request.pk}/"
    spec = request.plan.as_spec()
    assert spec.scenario == "reuse_reset"
    assert spec.reset_options["reset_forum_all"] == "1"
    assert "reset_glossary_all" not in spec.reset_options  # Caen keeps students' entries
    assert spec.grade_export and spec.announcement.days_before == 14
    assert [c.cohort_idnumber for c in spec.removes_cohorts] == ["L1CHIM231"]
    assert request.review_snapshot["counts"] == review.to_json()["counts"]


def test_confirm_needs_the_explicit_acknowledgement(world):
    course = world.course("CHIM231-2025")
    wizard = walk_to_review(world, course, "reuse_reset")
    wizard.submit({})
    wizard.submit({"confirm-when": "run_date"})
    assert wizard.step == "confirm"
    assert wizard.page.context["wizard"]["form"].errors["acknowledge"]
    assert not TransitionRequest.objects.exists()


def test_courses_step_refuses_a_course_the_teacher_does_not_teach(world):
    wizard = Wizard(world.client)
    foreign = world.course("BIO101-2025")
    wizard.courses(foreign)
    assert wizard.step == "courses"
    assert wizard.page.context["wizard"]["form"].errors["courses"]
    assert foreign.shortname.encode() not in wizard.page.content  # not even offered


def test_courses_step_names_who_holds_an_open_request(world):
    course = world.course("CHIM231-2025")
    colleague = UserFactory(username="sophie.girard", first_name="Sophie", last_name="Girard")
    TransitionRequestFactory(
        campaign=world.campaign, course=course, requested_by=colleague, status=Status.SCHEDULED
    )
    wizard = Wizard(world.client)
    wizard.courses(course)
    assert wizard.step == "courses"
    assert "Sophie Girard" in " ".join(wizard.page.context["wizard"]["form"].errors["courses"])


def test_fresh_copy_suggests_next_years_shortname_and_refuses_a_taken_one(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    ((_, form),) = list(wizard.page.context["wizard"]["form"])
    assert form["new_shortname"].value() == "CHIM231-2026"
    wizard.scenarios({course: {"scenario": "fresh_copy", "new_shortname": "CHIM241-2026"}})
    assert wizard.step == "scenarios"
    ((_, form),) = list(wizard.page.context["wizard"]["form"])
    assert "already taken in Moodle" in " ".join(form.errors["new_shortname"]) or (
        "déjà pris" in " ".join(form.errors["new_shortname"])
    )


def test_a_forged_post_cannot_unlock_a_locked_option(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    form = wizard.options_form(course)
    recordings = form.fields["reset_bigbluebuttonbn_recordings"]
    assert recordings.disabled and form["reset_bigbluebuttonbn_recordings"].value() is False
    wizard.options({course: {"reset_bigbluebuttonbn_recordings": "on"}})
    assert wizard.step == "options"
    assert wizard.options_form(course).non_field_errors()


def test_a_locked_option_left_out_of_the_post_keeps_the_policys_value(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"reset_forum_all": None}})
    assert wizard.step == "review"
    posts = [r for r in wizard.reviews()["CHIM231-2025"].rows if r.kind == "posts"]
    assert all(r.fate == Fate.DELETED and r.locked for r in posts)


def test_a_locked_option_reads_as_the_institutions_policy_then_its_reason(world):
    world.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    help_text = str(wizard.options_form(course).fields["unenrol_users"].help_text)
    assert help_text.startswith(
        "Verrouillé par la politique de l\u2019établissement — Sont désinscrits\u202f:"
    )
    assert help_text.count(":") == 1  # the reason's own label, not a second one before it


def test_default_selection_and_deselect_all_re_render_the_options(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    prefix = wizard.options_form(course).prefix
    wizard.submit({"options_preset": "clear", f"{prefix}-reset_events": "on"})
    form = wizard.options_form(course)
    assert wizard.step == "options"
    assert form["reset_events"].value() is False  # unlocked: cleared
    assert form["reset_forum_all"].value() is True  # locked by the policy: stays
    wizard.submit({"options_preset": "default"})
    form = wizard.options_form(course)
    assert form["reset_events"].value() is True  # Moodle's default
    assert form["reset_glossary_all"].value() is False


def test_restore_into_a_course_with_content_is_blocked(world, previous_course):
    course = world.course("CHIM231-2025")
    wizard = walk_to_review(world, course, "restore_previous", restore_source=previous_course.pk)
    review = wizard.reviews()["CHIM231-2025"]
    assert review.blocked
    assert "restore_not_empty" in [w.code for w in review.warnings]
    assert b'data-warning="restore_not_empty"' in wizard.page.content
    wizard.submit({})
    assert wizard.step == "review"
    assert wizard.page.context["wizard"]["form"].non_field_errors()


def test_restore_into_the_empty_course_goes_through(world, previous_course):
    course = world.course("CHIM241-2026")
    wizard = walk_to_review(
        world, course, "restore_previous", restore_source=previous_course.pk, restore_mode="delete"
    )
    assert not wizard.reviews()["CHIM241-2026"].blocked
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    assert request.source_course == previous_course
    assert request.plan.as_spec().restore.source_course_moodle_id == 77


def test_restore_suggests_the_course_with_the_same_shortname_first(world, previous_course):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    ((_, form),) = list(wizard.page.context["wizard"]["form"])
    assert form["restore_source"].value() == previous_course.pk


def test_three_courses_with_three_scenarios(world, previous_course):
    loaded, thermo, empty = (
        world.course("CHIM231-2025"),
        world.course("CHIM232-2025"),
        world.course("CHIM241-2026"),
    )
    wizard = Wizard(world.client)
    wizard.courses(loaded, thermo, empty)
    wizard.scenarios(
        {
            loaded: {"scenario": "reuse_reset"},
            thermo: {
                "scenario": "fresh_copy",
                "new_shortname": "CHIM232-2026",
                "archive_prefix": "on",
                "archive_hide": "on",
            },
            empty: {"scenario": "restore_previous", "restore_source": previous_course.pk},
        }
    )
    assert wizard.step == "options"
    wizard.options()
    reviews = wizard.reviews()
    assert set(reviews) == {"CHIM231-2025", "CHIM232-2025", "CHIM241-2026"}
    assert b'data-testid="review-summary"' in wizard.page.content
    # No stored backup holds last year's course: a new one is taken when the request runs.
    restored = {date.kind for date in reviews["CHIM241-2026"].dates}
    assert "backup_new" in restored and "backup_restored" not in restored
    # CHIM232: the teacher is also manager there (seed 000, step 3).
    assert "other_role" not in [w.code for w in reviews["CHIM232-2025"].warnings]  # not a reset
    wizard.submit({})
    response = wizard.submit({"confirm-acknowledge": "on"})
    assert response["Location"] == "/courses/"
    requests = {r.course.shortname: r for r in TransitionRequest.objects.all()}
    assert {name: r.scenario for name, r in requests.items()} == {
        "CHIM231-2025": "reuse_reset",
        "CHIM232-2025": "fresh_copy",
        "CHIM241-2026": "restore_previous",
    }
    copy = requests["CHIM232-2025"].plan.as_spec().fresh_copy
    assert copy.new_shortname == "CHIM232-2026" and copy.archive.prefix == "ex_"
    assert copy.archive.hide and copy.archive.move_to_category_moodle_id is None
    # Moodle's copy enrols nobody: the review names who will teach the new course.
    assert copy.teachers == ("teacher",)
    assert [
        (r.subject, r.fate, r.note)
        for r in reviews["CHIM232-2025"].rows
        if r.kind == "teacher_role"
    ] == [("teacher", Fate.ADDED, "copy_teacher")]


@pytest.mark.parametrize("keeps_teachers", [True, False])
def test_fresh_copy_enrols_the_course_teachers_as_the_policy_says(world, keeps_teachers):
    thermo = world.course("CHIM232-2025")
    CourseRoleFactory(
        course=thermo, person__user__username="jmartin", person__moodle_username="jmartin"
    )
    world.campaign.policy.copy_enrols_course_teachers = keeps_teachers
    world.campaign.policy.save()
    wizard = Wizard(world.client)
    wizard.courses(thermo)
    wizard.scenarios({thermo: {"scenario": "fresh_copy", "new_shortname": "CHIM232-2026"}})
    wizard.options()
    review = wizard.reviews()["CHIM232-2025"]
    teachers = [r.subject for r in review.rows if r.note == "copy_teacher"]
    assert teachers == (["teacher", "jmartin"] if keeps_teachers else ["teacher"])


def test_teacher_also_manager_is_warned_before_a_reset(world):
    course = world.course("CHIM232-2025")
    wizard = walk_to_review(world, course, "reuse_reset")
    (warning,) = [w for w in wizard.reviews()["CHIM232-2025"].warnings if w.code == "other_role"]
    assert "manager" in warning.message


def test_hand_over_and_no_change_skip_the_options(world):
    thermo, loaded = world.course("CHIM232-2025"), world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(thermo, loaded)
    wizard.scenarios(
        {
            thermo: {"scenario": "hand_over", "successor_username": "mlefebvre"},
            loaded: {"scenario": "no_change"},
        }
    )
    assert wizard.step == "review"
    review = wizard.reviews()["CHIM232-2025"]
    assert any(r.fate == Fate.ADDED and r.subject == "mlefebvre" for r in review.rows)
    assert all(r.fate == Fate.KEPT for r in wizard.reviews()["CHIM231-2025"].rows)
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=thermo)
    assert request.successor_username == "mlefebvre"


def test_hand_over_to_an_unknown_colleague_is_refused(world):
    course = world.course("CHIM232-2025")
    wizard = Wizard(world.client)
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "hand_over", "successor_username": "nobody"}})
    assert wizard.step == "scenarios"


def test_special_calendar_goes_to_an_engineer(world):
    course = world.course("CHIM231-2025")
    wizard = walk_to_review(
        world,
        course,
        "reuse_reset",
        special_calendar="late_closing",
        special_closes="2026-10-15",
        special_reason="Rattrapages en octobre",
    )
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    assert request.status == Status.PENDING_APPROVAL
    assert request.plan.as_spec().special_calendar.reason == "Rattrapages en octobre"


def test_special_calendar_needs_a_reason(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(course)
    wizard.scenarios(
        {course: {"scenario": "reuse_reset", "special_calendar": "shifted", "special_opens": ""}}
    )
    assert wizard.step == "scenarios"


def test_as_soon_as_possible_when_the_campaign_allows_it(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(allow_asap=True)
    course = world.course("CHIM231-2025")
    wizard = walk_to_review(world, course, "no_change")
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on", "confirm-when": "asap"})
    request = TransitionRequest.objects.get(course=course)
    assert request.plan.as_spec().asap
    assert request.run_at < world.campaign.run_date


def test_a_request_taken_meanwhile_is_refused_with_the_holders_name(world):
    course = world.course("CHIM231-2025")
    wizard = walk_to_review(world, course, "no_change")
    wizard.submit({})
    colleague = UserFactory(username="sophie.girard", first_name="Sophie", last_name="Girard")
    TransitionRequestFactory(
        campaign=world.campaign, course=course, requested_by=colleague, status=Status.DRAFT
    )
    response = world.client.post(
        wizard.url,
        {f"{wizard.prefix}-current_step": "confirm", "confirm-acknowledge": "on"},
        follow=True,
    )
    assert TransitionRequest.objects.filter(requested_by=world.teacher).count() == 0
    assert "Sophie Girard" in response.content.decode()


def test_the_wizard_waits_for_an_open_campaign(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.LOCKED)
    response = world.client.get("/requests/new/", follow=True)
    assert response.status_code == 409


def test_two_tabs_keep_their_own_answers(world):
    first = Wizard(world.client, courses=[world.course("CHIM231-2025")])
    second = Wizard(world.client, courses=[world.course("CHIM232-2025")])
    first.courses(world.course("CHIM231-2025"))
    second.courses(world.course("CHIM232-2025"))
    first.scenarios({world.course("CHIM231-2025"): {"scenario": "no_change"}})
    assert first.step == "review"
    assert set(first.reviews()) == {"CHIM231-2025"}


def test_anonymous_people_are_sent_to_sign_in(world):
    world.client.logout()
    response = world.client.get("/requests/new/abc/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_successor_cohort_is_suggested_and_added(world):
    from transition.models import Cohort

    old = Cohort.objects.get(instance=world.instance, idnumber="L1CHIM231")
    old.successor = Cohort.objects.get(instance=world.instance, idnumber="L1CHIM241")
    old.save()
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert wizard.options_form(course)["cohorts_add"].value() == "L1CHIM241"
    wizard.options()
    review = wizard.reviews()["CHIM231-2025"]
    cohorts = {(r.subject, r.fate) for r in review.rows if r.kind == "cohort_students"}
    assert cohorts == {("L1CHIM231", Fate.UNENROLLED), ("L1CHIM241", Fate.ADDED)}
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    spec = TransitionRequest.objects.get(course=course).plan.as_spec()
    assert [c.cohort_idnumber for c in spec.adds_cohorts] == ["L1CHIM241"]


def test_an_unknown_apogee_code_is_refused(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"cohorts_add": "L9NOPE999"}})
    assert wizard.step == "options"
    assert wizard.options_form(course).errors["cohorts_add"]


def test_no_backup_possible_blocks_the_request(db, start_standin):
    """The service account lacks the course capabilities: no inventory, so no backup either."""
    from moodle_client import MoodleClient
    from moodle_client.standin.site import ROLE_EDITINGTEACHER
    from tests.factories import CourseFactory
    from transition.request_spec import RequestSpec
    from transition.review.gather import course_review_build, review_facts_read

    server = start_standin("small")
    server.site.roles[ROLE_EDITINGTEACHER].capabilities.discard("moodle/course:update")
    moodle_course = next(c for c in server.site.courses.values() if c.shortname == "CHIM231-2025")
    course = CourseFactory(moodle_id=moodle_course.id, shortname="CHIM231-2025")
    teacher = UserFactory(username="claire.dubois")
    inventory, facts = review_facts_read(
        client=MoodleClient(server.url, "teacher"), course=course, user=teacher
    )
    assert inventory is None and facts.backup_refused
    review = course_review_build(
        course=course,
        spec=RequestSpec(scenario="reuse_reset", course_moodle_id=course.moodle_id),
        rules=[],
        inventory=inventory,
        facts=facts,
    )
    assert review.blocked and [w.code for w in review.warnings] == ["no_backup"]


def test_next_years_dates_come_from_the_campaign_and_the_review_shows_them(world):
    # Last year's course started on 1 September 2025; the campaign's year starts on
    # 1 September 2026: the course starts on that day again, not 364 days later (a Monday).
    world.campaign.cutoff_date = datetime.date(2026, 9, 1)
    world.campaign.save()
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert wizard.options_form(course)["new_start_date"].value() == datetime.date(2026, 9, 1)

    wizard.options({course: {"announce": None}})

    review = wizard.reviews()["CHIM231-2025"]
    dates = {date.kind: date for date in review.dates}
    start, end = dates["startdate"], dates["enddate"]
    assert (start.before_at.date(), start.after_at.date()) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 9, 1),
    )
    # The end moves with the start, as Moodle's reset moves it.
    assert end.after - end.before == start.after - start.before
    assert dates["run"].after_at == world.campaign.run_date
    page = wizard.page.content.decode()
    assert 'data-testid="review-dates-CHIM231-2025"' in page
    # Each date also as Moodle stores it (Unix time), for tools that compare it with Moodle.
    assert f'data-date="startdate" data-before="{start.before}" data-after="{start.after}"' in page


def test_the_review_shows_when_the_announcement_goes_out_and_when_the_reset_follows(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"announce_days": "10"}})

    dates = {date.kind: date for date in wizard.reviews()["CHIM231-2025"].dates}

    run = world.campaign.run_date
    assert dates["announcement"].after_at == run - datetime.timedelta(days=10)
    assert dates["run"].after_at == run


def test_the_review_counts_the_members_of_the_cohort_added(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client)
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"announce": None, "cohorts_add": "L1CHIM241"}})

    review = wizard.reviews()["CHIM231-2025"]

    (added,) = [r for r in review.rows if r.note == "cohort_added"]
    site = world.server.site
    cohort = next(c for c in site.cohorts.values() if c.idnumber == "L1CHIM241")
    members = len(cohort.members)
    assert members and (added.subject, added.total) == ("L1CHIM241", members)
