"""What the teacher reads on the review, the confirm step and the request page is what will
happen: a headline per course with the stand-in's own counts, the detail collapsed with
Moodle's names, the new course and the archived one, the special calendar waiting for an
engineer, errors as sentences, the progress followed live."""

from __future__ import annotations

import datetime
import re
from html import unescape

from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from tests.factories import BackupFactory, JobFactory, UserFactory
from tests.wizard.conftest import Wizard
from transition.engine.planner import request_plan_jobs
from transition.models import Job, Person, TransitionRequest
from transition.notifications import notifications_send_due, notify_request_status
from transition.permissions import Role
from transition.review.results import CourseReview
from transition.services.accounts import user_grant_role

Status = TransitionRequest.Status


def text(response) -> str:
    """The page's visible text, tags removed, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    # Typographic apostrophes read as plain ones, so assertions stay plain ASCII quotes.
    plain = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u2019", "'")
    return re.sub(r"\s+", " ", plain)


def walk(world, course, scenario, **fields):
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": scenario, **fields}})
    if wizard.step == "options":
        wizard.options()
    assert wizard.step == "review", wizard.page.context["wizard"]["form"].errors
    return wizard


def site_course_id(world, shortname: str) -> int:
    return next(c.id for c in world.server.site.courses.values() if c.shortname == shortname)


def site_records(world, shortname: str, kind: str) -> int:
    cid = site_course_id(world, shortname)
    return sum(
        1 for r in world.server.site.user_data.values() if r.courseid == cid and r.kind == kind
    )


def reuse_reset_reviewed(world) -> tuple[str, str, CourseReview]:
    """CHIM231-2025's review for a reuse and reset: the page, its headline and the review."""
    wizard = walk(world, world.course("CHIM231-2025"), "reuse_reset")
    page = wizard.page.content.decode()
    headline = re.search(r'data-testid="headline-CHIM231-2025".*?</ul>', page, re.S).group(0)
    (review,) = wizard.page.context["reviews"]
    return page, headline, review


def test_the_review_starts_with_a_headline_whose_counts_are_moodles(world):
    page, headline, review = reuse_reset_reviewed(world)
    # The course's posts, and the announcement the request posts first (on by default).
    announcement = [row for row in review.rows if row.note == "announcement"]
    assert [row.kind for row in announcement] == ["discussions", "posts"]
    posts = site_records(world, "CHIM231-2025", "posts") + 1
    assert f'data-deleted-kind="messages" data-count="{posts}"' in headline
    unenrolled = review.affected_by_fate()["unenrolled"]
    assert f'data-headline="unenrolled" data-count="{unenrolled}"' in headline
    assert "L1CHIM231" in headline  # the cohort whose students leave
    # The detail is collapsed, complete, and names module types and roles as Moodle does.
    detail = re.search(r'<details class="review-detail".*', page, re.S).group(0)
    assert "<details open" not in page
    assert detail.count("<tr data-fate=") == len(review.rows)
    assert ">Devoir<" in detail and ">Forum<" in detail
    assert "Enseignant non éditeur" in detail
    for raw in (">assign<", ">bigbluebuttonbn<", ">h5pactivity<", ">editingteacher<"):
        assert raw not in page
    # A feedback's option is named after its activity, not its instance id.
    assert "« 1 »" not in page and "“1”" not in page


def test_a_fresh_copy_names_both_courses_from_review_to_request_page(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026", archive_prefix="on",
                  archive_hide="on")  # fmt: skip
    for page in (text(wizard.page), text(wizard.submit({}))):
        assert "Nouveau cours — CHIM231-2026" in page
        assert "renommé ex_CHIM231-2025" in page and "caché aux étudiants" in page
    assert "éléments supprimés" not in text(wizard.page)
    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    request = TransitionRequest.objects.get(course=course)
    page = world.client.get(response["Location"])
    assert "CHIM231-2026" in text(page) and "ex_CHIM231-2025" in text(page)
    # Once the copy exists, the page links it into Moodle.
    new = world.instance.courses.create(
        moodle_id=9001, shortname="CHIM231-2026", fullname=course.fullname, category=course.category
    )
    TransitionRequest.objects.filter(pk=request.pk).update(target_course=new)
    page = world.client.get(f"/requests/{request.pk}/").content.decode()
    assert f'href="{world.server.url}/course/view.php?id=9001"' in page


def test_a_special_calendar_shows_its_dates_reason_and_the_wait_for_an_engineer(
    world, django_capture_on_commit_callbacks
):
    engineer = UserFactory(username="ines", email="ines@unicaen.example")
    user_grant_role(user=engineer, role=Role.ENGINEER)
    course = world.course("CHIM231-2025")
    wizard = walk(
        world, course, "reuse_reset", special_calendar="late_closing",
        special_closes="2027-10-15", special_reason="Stage en entreprise jusqu'en octobre",
    )  # fmt: skip
    for page in (text(wizard.page), text(wizard.submit({}))):
        assert "ferme le 15 octobre 2027" in page
        assert "Stage en entreprise jusqu'en octobre" in page
        assert "En attente de validation par un ingénieur pédagogique" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    assert request.status == Status.PENDING_APPROVAL
    # The engineers hear of it at once, with the dates and the reason, and only once.
    (mail_,) = mail.outbox
    assert mail_.to == ["ines@unicaen.example"]
    assert "Ferme le 15 octobre 2027." in mail_.body
    assert "Stage en entreprise jusqu'en octobre" in mail_.body
    assert notifications_send_due() == 0
    page = text(world.client.get(response["Location"]))
    assert "ferme le 15 octobre 2027" in page
    assert "En attente de validation par un ingénieur pédagogique" in page


def _failed_request(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "reuse_reset")
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    JobFactory(
        request=request, kind=Job.Kind.RESET, position=3, status=Job.Status.FAILED,
        last_error_code="connectionerror",
        last_error_message="cannot reach Moodle: HTTPConnectionPool(host='x'): Max retries",
    )  # fmt: skip
    return request


def test_an_error_reads_as_a_sentence_for_the_teacher_and_in_full_for_staff(world):
    request = _failed_request(world)
    page = text(world.client.get(f"/requests/{request.pk}/"))
    assert "Moodle n'a pas pu être joint ou n'a pas répondu à temps." in page
    assert "Les administrateurs sont prévenus" in page
    assert "HTTPConnectionPool" not in page and "Max retries" not in page
    engineer = UserFactory(username="ines")
    user_grant_role(user=engineer, role=Role.ENGINEER)
    staff = Client()
    staff.force_login(engineer)
    assert "HTTPConnectionPool" in text(staff.get(f"/requests/{request.pk}/"))


def test_the_request_page_follows_the_jobs_without_a_reload(world):
    request = _failed_request(world)
    page = world.client.get(f"/requests/{request.pk}/").content.decode()
    assert f'data-progress-url="/requests/{request.pk}/progress/"' in page
    assert "/static/transition/request_progress.js" in page
    assert "<script>" not in page and " onclick=" not in page  # works under a strict CSP
    job = Job.objects.get(request=request, kind=Job.Kind.RESET)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=0.4,
                                         last_error_code="", last_error_message="")  # fmt: skip
    progress = world.client.get(f"/requests/{request.pk}/progress/").json()
    assert {"kind": "reset", "status": "running", "progress": 40, "error": ""} in progress["jobs"]
    assert 'value="40"' in progress["html"] and not progress["finished"]
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.DONE)
    assert world.client.get(f"/requests/{request.pk}/progress/").json()["finished"]
    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"/requests/{request.pk}/progress/").status_code == 403


def test_the_backup_check_before_the_reset_and_the_downloads_are_shown(world):
    request = _failed_request(world)
    now = datetime.datetime.now(tz=datetime.UTC)
    backup_job = JobFactory(request=request, kind=Job.Kind.BACKUP, position=1,
                            status=Job.Status.SUCCEEDED, finished_at=now)  # fmt: skip
    BackupFactory(course=request.course, campaign=request.campaign, job=backup_job,
                  size=2_500_000, sha256="b" * 64, sha1="c" * 40, verified_at=now)  # fmt: skip
    Job.objects.filter(request=request, kind=Job.Kind.RESET).update(
        started_at=now + datetime.timedelta(minutes=1)
    )
    name = default_storage.save("grades/test/CHIM231-2025-grades.xlsx", ContentFile(b"xlsx"))
    export = JobFactory(request=request, kind=Job.Kind.GRADE_EXPORT, position=0,
                        status=Job.Status.SUCCEEDED, result={"file": name, "rows": 12})  # fmt: skip
    JobFactory(request=request, kind=Job.Kind.VERIFY, position=4)
    response = world.client.get(f"/requests/{request.pk}/")
    page = text(response)
    assert "Sauvegarde vérifiée le" in page and "2,4 Mio" in page
    assert "La réinitialisation n'a commencé qu'après cette vérification." in page
    assert "Contrôle du résultat" in page  # the last job is named for what it is
    download = world.client.get(f"/requests/{request.pk}/grades/{export.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"xlsx"
    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"/requests/{request.pk}/grades/{export.pk}/").status_code == 403
    default_storage.delete(name)


def test_the_grade_export_says_what_it_holds_beside_the_reviews_grade_count(world):
    from openpyxl import load_workbook

    from transition.engine.steps import grade_export
    from transition.engine.steps.context import StepContext
    from transition.services.instances import instance_client

    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "reuse_reset")
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    request = TransitionRequest.objects.get(course=course)
    job = JobFactory(request=request, course=course, instance=world.instance,
                     kind=Job.Kind.GRADE_EXPORT, position=0)  # fmt: skip
    result = grade_export.run(
        StepContext(
            job=job,
            spec=None,
            client_for=lambda instance: instance_client(instance=instance),
            remember=lambda **_: None,
        )
    )
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=result)

    page = text(world.client.get(f"/requests/{request.pk}/"))

    with default_storage.open(result["file"]) as stored:
        sheet = load_workbook(stored).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    grades = [row for row in rows if row[3] not in ("course", "category") and row[4] != "-"]
    students = {row[0] for row in rows}
    items = {row[2] for row in rows if row[3] not in ("course", "category")}
    said = re.search(
        r"Carnet de notes exporté avant la réinitialisation : (\d+) notes de (\d+) étudiants "
        r"sur (\d+) éléments d'évaluation, avec le total du cours de chaque étudiant",
        page.replace("\u202f", " "),
    )
    assert said, page
    assert [int(n) for n in said.groups()] == [len(grades), len(students), len(items)]
    # What the review counted in the gradebook is the export plus what it leaves out.
    site = world.server.site
    cid = site_course_id(world, "CHIM231-2025")
    book = {item.id for item in site.grade_items.values() if item.courseid == cid}
    reviewed = sum(
        1 for grade in site.grades.values() if grade.itemid in book and grade.finalgrade is not None
    )
    left_out = re.search(r"Le récapitulatif comptait (\d+) notes de plus dans le carnet", page)
    assert left_out and len(grades) + int(left_out.group(1)) == reviewed
    default_storage.delete(result["file"])


def test_the_teachers_lists_show_the_new_course_and_keep_the_archived_one(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026", archive_prefix="on")
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    # What the copy and archive steps leave: the new course mirrored, the old one renamed.
    new = world.instance.courses.create(
        moodle_id=9002, shortname="CHIM231-2026", fullname=course.fullname, category=course.category
    )
    TransitionRequest.objects.filter(pk=request.pk).update(target_course=new, status=Status.DONE)
    type(course).objects.filter(pk=course.pk).update(shortname="ex_CHIM231-2025")
    listing = world.client.get("/courses/").content.decode()
    assert 'data-course="ex_CHIM231-2025"' in listing
    assert 'data-testid="new-course-ex_CHIM231-2025"' in listing and "CHIM231-2026" in listing
    home = world.client.get("/").content.decode()
    assert "<code>CHIM231-2026</code>" in home
    assert "<h1" in home and "Mes cours dans Moodle" in home
    assert "Préparer mes cours</h1>" in listing


def test_dates_read_as_dates_in_the_teachers_language_on_every_step(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"new_start_date": "2027-09-01"}})
    epoch = re.compile(r"\b1[5-9]\d{8}\b")  # a Unix timestamp shown as such
    review = text(wizard.page)
    assert "Nouvelle date de début : 1er septembre 2027" in review
    confirm = text(wizard.submit({}))
    run_date = world.campaign.run_date.astimezone(datetime.UTC)
    assert f"({run_date.day} " in confirm and "/20" not in confirm  # "(16 janvier 2027)"
    assert "1er septembre 2027" in confirm
    response = wizard.submit({"confirm-acknowledge": "on"})
    page = text(world.client.get(response["Location"]))
    assert "1er septembre 2027" in page
    for shown in (review, confirm, page):
        assert not epoch.search(shown)


def test_the_options_name_roles_and_types_as_moodle_does(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    page = text(wizard.page)
    assert "Étudiant" in page and "Enseignant non éditeur" in page
    assert "Glossaire principal" in page
    for raw in (" editingteacher ", " student ", " secondary ", " qanda "):
        assert raw not in page


def test_moodle_unreachable_reads_as_a_sentence_in_the_wizard(world):
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    type(world.instance).objects.filter(pk=world.instance.pk).update(url="http://127.0.0.1:9")
    response = wizard.scenarios({course: {"scenario": "reuse_reset"}})
    assert response.status_code == 503
    page = text(response)
    assert "Moodle n'a pas pu être joint ou n'a pas répondu à temps." in page
    assert "Vos réponses sont conservées" in page
    for raw in ("HTTPConnectionPool", "Max retries", "cannot reach Moodle", "Connection refused"):
        assert raw not in page


def test_the_done_email_names_the_new_course_and_the_archived_one(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026", archive_prefix="on",
                  archive_hide="on")  # fmt: skip
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    new = world.instance.courses.create(
        moodle_id=9003, shortname="CHIM231-2026", fullname=course.fullname, category=course.category
    )
    TransitionRequest.objects.filter(pk=request.pk).update(target_course=new, status=Status.DONE)
    world.teacher.email = "claire.dubois@unicaen.example"
    world.teacher.save()
    mail.outbox.clear()
    assert notify_request_status(request_id=request.pk)
    (message,) = mail.outbox
    assert "Votre nouveau cours\u202f: CHIM231-2026" in message.body
    assert f"{world.server.url}/course/view.php?id=9003" in message.body
    assert "archivé sous le nom ex_CHIM231-2025" in message.body
    assert "&#x27;" not in message.body and "&quot;" not in message.body


def test_the_done_email_says_a_backup_was_kept_only_when_one_was_taken(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026")
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    request_plan_jobs(request=request)  # as the engine does when the request starts
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.DONE)
    world.teacher.email = "claire.dubois@unicaen.example"
    world.teacher.save()
    kept = "Une sauvegarde du cours a d\u2019abord été faite et est conservée."
    mail.outbox.clear()
    assert notify_request_status(request_id=request.pk)
    assert kept not in mail.outbox[0].body  # its backup job never ran
    backup_job = request.jobs.get(kind=Job.Kind.BACKUP)
    Job.objects.filter(pk=backup_job.pk).update(status=Job.Status.SUCCEEDED)
    BackupFactory(course=course, campaign=world.campaign, job=backup_job,
                  verified_at=timezone.now())  # fmt: skip
    mail.outbox.clear()
    assert notify_request_status(request_id=request.pk)
    assert kept in mail.outbox[0].body


def test_the_done_email_of_a_hand_over_names_the_colleague(world):
    colleague = a_colleague(world)
    full_name = f"{colleague.firstname} {colleague.lastname}"
    course = world.course("CHIM231-2025")
    wizard = walk(
        world,
        course,
        "hand_over",
        successor_username=colleague.moodle_username,
        remove_own_role="on",
    )
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    planned = {job.kind for job in request_plan_jobs(request=request)}
    assert planned == {Job.Kind.HAND_OVER}
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.DONE)
    world.teacher.email = "claire.dubois@unicaen.example"
    world.teacher.save()
    mail.outbox.clear()
    assert notify_request_status(request_id=request.pk)
    (message,) = mail.outbox
    assert (
        f"{full_name} a désormais le rôle d\u2019enseignant dans le cours. "
        "Vous n\u2019y avez plus le rôle d\u2019enseignant." in message.body
    )
    assert f"{world.server.url}/course/view.php?id={course.moodle_id}" in message.body
    assert "sauvegarde" not in message.body  # a hand-over takes no backup


def test_a_hand_over_numbers_its_steps_as_the_step_list_does(world):
    colleague = (
        Person.objects.filter(instance=world.instance)
        .exclude(user=world.teacher)
        .exclude(moodle_username__in=("admin", "guest", ""))
        .order_by("moodle_username")
        .values_list("moodle_username", flat=True)
        .first()
    )
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "hand_over", successor_username=colleague)
    page = text(wizard.page)
    assert "3. Récapitulatif" in page and "4. Récapitulatif" not in page  # no options step
    named = Person.objects.get(instance=world.instance, moodle_username=colleague)
    assert f"{named.firstname} {named.lastname} (rôle d'enseignant)" in page
    assert "1 membre" not in page
    assert "4. Confirmer" in text(wizard.submit({}))


def a_colleague(world) -> Person:
    return (
        Person.objects.filter(instance=world.instance)
        .exclude(user=world.teacher)
        .exclude(moodle_username__in=("admin", "guest", ""))
        .exclude(firstname="")
        .order_by("moodle_username")
        .first()
    )


def test_the_hand_over_names_the_colleague_on_review_confirm_and_request_page(world):
    colleague = a_colleague(world)
    full_name = f"{colleague.firstname} {colleague.lastname}"
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "hand_over", successor_username=colleague.moodle_username)
    review = text(wizard.page)
    assert f"Ajouté {full_name} (rôle d'enseignant)" in review
    assert f"{colleague.moodle_username} (rôle" not in review
    for page in (review, text(wizard.submit({}))):
        assert f"{full_name} reçoit le rôle d'enseignant dans le cours" in page
    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    request_page = text(world.client.get(response["Location"]))
    assert f"{full_name} reçoit le rôle d'enseignant dans le cours" in request_page


def test_a_username_is_shown_beside_the_name_only_to_tell_two_namesakes_apart(world):
    colleague = a_colleague(world)
    course = world.course("CHIM231-2025")
    alone = text(
        walk(world, course, "hand_over", successor_username=colleague.moodle_username).page
    )
    assert f"{colleague.firstname} {colleague.lastname} (rôle" in alone
    namesake = (
        Person.objects.filter(instance=world.instance)
        .exclude(pk=colleague.pk)
        .exclude(user=world.teacher)
        .first()
    )
    Person.objects.filter(pk=namesake.pk).update(
        firstname=colleague.firstname, lastname=colleague.lastname
    )
    told_apart = text(
        walk(world, course, "hand_over", successor_username=colleague.moodle_username).page
    )
    assert (
        f"{colleague.firstname} {colleague.lastname} ({colleague.moodle_username}) (rôle"
        in told_apart
    )


def test_a_fresh_copys_teachers_are_named_by_their_names(world):
    world.campaign.policy.copy_enrols_course_teachers = True
    world.campaign.policy.save()
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026")
    (review,) = wizard.page.context["reviews"]
    usernames = [row.subject for row in review.rows if row.note == "copy_teacher"]
    assert usernames  # the review keeps Moodle's usernames, as the request stores them
    page = text(wizard.page)
    for person in Person.objects.filter(instance=world.instance, moodle_username__in=usernames):
        assert f"{person.firstname} {person.lastname} (rôle d'enseignant)" in page
        assert f" {person.moodle_username} (rôle" not in page


def french_date(moment: datetime.datetime) -> str:
    from django.utils import timezone, translation

    from portal.dates import date_format

    with translation.override("fr"):
        return date_format(timezone.localtime(moment), "DATE_FORMAT")


def test_the_confirm_step_dates_each_choice_and_as_soon_as_possible_waits_the_notice(world):
    from django.utils import timezone

    world.campaign.allow_asap = True
    world.campaign.save(update_fields=["allow_asap"])
    course = world.course("CHIM231-2025")
    wizard = Wizard(world.client, courses=[course])
    wizard.courses(course)
    wizard.scenarios({course: {"scenario": "reuse_reset"}})
    wizard.options({course: {"announce_days": "10"}})
    confirm = text(wizard.submit({}))

    run = world.campaign.run_date
    announced = french_date(run - datetime.timedelta(days=10))
    assert (
        f"À la date d'exécution : annonce aux étudiants le {announced}, "
        f"puis transformation du cours le {french_date(run)}."
    ) in confirm.replace("\u202f", " ")
    notice_ends = french_date(timezone.now() + datetime.timedelta(days=10))
    assert (
        "Dès que possible : annonce aux étudiants dès votre confirmation, puis transformation "
        f"du cours le {notice_ends}, après 10 jours de préavis."
    ) in confirm.replace("\u202f", " ")
    assert "Confirmer et créer la demande" in confirm

    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "asap"})
    page = text(world.client.get(response["Location"])).replace("\u202f", " ")
    # The request page gives the same dates: the course is not transformed today.
    assert f"transformation du cours à partir du {notice_ends}" in page


def test_the_headline_counts_each_grade_once_and_the_detail_keeps_each_table(world):
    page, headline, review = reuse_reset_reviewed(world)
    site = world.server.site
    cid = site_course_id(world, "CHIM231-2025")
    items = {item.id for item in site.grade_items.values() if item.courseid == cid}
    gradebook = sum(1 for grade in site.grades.values() if grade.itemid in items)
    activity_grades = [
        row for row in review.rows if row.section == "activity" and row.kind == "grades"
    ]
    # The assignments', quizzes' and lessons' grades go too, and are gradebook grades as well.
    assert sum(row.affected for row in activity_grades) == site_records(
        world, "CHIM231-2025", "grades"
    )
    assert site_records(world, "CHIM231-2025", "grades") > 0
    assert f'data-deleted-kind="notes" data-count="{gradebook}"' in headline
    detail = re.search(r'<details class="review-detail".*', page, re.S).group(0)
    assert detail.count("<tr data-fate=") == len(review.rows)


def test_nothing_deleted_asks_only_to_confirm_what_the_review_says(world):
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "fresh_copy", new_shortname="CHIM231-2026")
    confirm = text(wizard.submit({}))

    assert "J'ai lu le récapitulatif et je confirme ce qu'il annonce." in confirm
    assert "ne pourra pas être rétabli" not in confirm


def _special_calendar_request(world, engineer):
    course = world.course("CHIM231-2025")
    wizard = walk(
        world, course, "reuse_reset", special_calendar="late_closing",
        special_closes="2027-10-15", special_reason="Stage en entreprise jusqu'en octobre",
    )  # fmt: skip
    wizard.submit({})
    response = wizard.submit({"confirm-acknowledge": "on", "confirm-when": "run_date"})
    return TransitionRequest.objects.get(course=course), response["Location"]


def test_the_request_page_relates_a_late_closing_to_the_reset_date(world):
    from django.utils import timezone

    from transition.approvals.services import request_approve

    engineer = UserFactory(username="ines", first_name="Inès", last_name="Roux")
    user_grant_role(user=engineer, role=Role.ENGINEER)
    request, url = _special_calendar_request(world, engineer)
    (review,) = [CourseReview.from_json(request.review_snapshot)]
    end = next(d for d in review.dates if d.kind == "enddate").before_at
    waiting = text(world.client.get(url))
    assert (
        "Les étudiants de cette année travaillent dans le cours jusqu'au 15 octobre 2027, après "
        f"sa date de fin ({french_date(end)}) : la réinitialisation, qui supprime leur travail, "
        "doit venir après cette date" in waiting
    )
    # Approved to run before the course closes: the page says so, and who decided when.
    before = timezone.make_aware(datetime.datetime(2027, 10, 1, 9, 0))
    request_approve(request=request, actor=engineer, run_at=before)
    page = text(world.client.get(url))
    assert "fixée au 1er octobre 2027, avant cette date" in page
    assert "demandez à votre ingénieur pédagogique de la déplacer" in page
    assert re.search(r"Validée le \d+\S* \w+ 20\d\d \S+ par Inès Roux", page), page
    after = timezone.make_aware(datetime.datetime(2027, 10, 18, 9, 0))
    TransitionRequest.objects.filter(pk=request.pk).update(run_at=after)
    assert "vient après, le 18 octobre 2027" in text(world.client.get(url))
    # Once the reset ran, the sentence says when it did.
    JobFactory(request=request, course=request.course, kind=Job.Kind.RESET,
               status=Job.Status.SUCCEEDED, started_at=after)  # fmt: skip
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.DONE)
    assert "est venue après, le 18 octobre 2027" in text(world.client.get(url))


def test_the_timeline_says_what_the_engineer_decided(world):
    from transition.approvals.services import request_ask_changes, request_reject

    engineer = UserFactory(username="ines", first_name="Inès", last_name="Roux")
    user_grant_role(user=engineer, role=Role.ENGINEER)
    request, url = _special_calendar_request(world, engineer)
    request_ask_changes(request=request, actor=engineer, comment="Précisez la date")
    page = text(world.client.get(url))
    assert re.search(r"Modifications demandées le .* par Inès Roux : « Précisez la date »", page)
    TransitionRequest.objects.filter(pk=request.pk).update(status=Status.PENDING_APPROVAL)
    request.refresh_from_db()
    request_reject(request=request, actor=engineer, comment="Hors calendrier")
    page = text(world.client.get(url))
    assert "Modifications demandées le" in page
    assert re.search(r"Refusée le .* par Inès Roux : « Hors calendrier »", page), page
    assert "Décision du" not in page


def test_a_restore_says_what_comes_back_and_from_which_course(world, previous_course):
    # Last year's course, on a previous platform that answers: the stand-in's CHIM231-2025.
    site = world.server.site
    source_id = site_course_id(world, "CHIM231-2025")
    activities = len(site.course_modules.having("course", source_id))
    assert activities > 0
    previous = previous_course.instance
    previous.url = world.server.url
    previous.save(update_fields=["url"])
    previous_course.moodle_id = source_id
    previous_course.save(update_fields=["moodle_id"])
    course = world.course("CHIM241-2026")
    wizard = walk(
        world, course, "restore_previous", restore_source=previous_course.pk,
        restore_mode="delete",
    )  # fmt: skip
    page = wizard.page.content.decode()
    headline = re.search(r'data-testid="headline-CHIM241-2026".*?</ul>', page, re.S).group(0)
    shown = text(type("Page", (), {"content": headline.encode()}))
    assert (
        f"Revient de {previous_course} (plateforme précédente) : {activities} activités avec "
        "leur contenu et leurs fichiers, sans aucune donnée d'utilisateur." in shown
    ), shown
    assert "Conservé 0 activité" not in shown


def test_the_colleague_hears_the_course_is_theirs_once_the_hand_over_is_done(world):
    colleague = a_colleague(world)
    assert colleague.user.email
    course = world.course("CHIM231-2025")
    wizard = walk(world, course, "hand_over", successor_username=colleague.moodle_username)
    wizard.submit({})
    wizard.submit({"confirm-acknowledge": "on"})
    request = TransitionRequest.objects.get(course=course)
    world.teacher.first_name, world.teacher.last_name = "Claire", "Dubois"
    world.teacher.email = "claire.dubois@unicaen.example"
    world.teacher.save()
    mail.outbox.clear()
    TransitionRequest.objects.filter(pk=request.pk).update(
        status=Status.DONE, updated_at=timezone.now()
    )
    assert notifications_send_due() == 2  # the teacher, and the colleague
    (told,) = [message for message in mail.outbox if message.to == [colleague.user.email]]
    assert told.subject == "Passage\u202f: le cours CHIM231-2025 vous est transmis"
    assert (
        f"Claire Dubois vous a transmis le cours CHIM231-2025 ({course.fullname})\u202f: "
        "vous y avez désormais le rôle d\u2019enseignant dans Moodle." in told.body
    )
    assert f"{world.server.url}/course/view.php?id={course.moodle_id}" in told.body
    assert notifications_send_due() == 0
