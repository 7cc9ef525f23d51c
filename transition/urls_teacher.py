"""The teacher's pages: their courses, the wizard, a request's page."""

from django.urls import path

from transition.keep_copy import views as keep_copy
from transition.teacher_pages import cohorts, courses, requests
from transition.wizard.views import RequestWizardView, wizard_start

urlpatterns = [
    path("courses/", courses.course_list, name="teacher_courses"),
    path("cohorts/search/", cohorts.cohort_search, name="cohort_search"),
    path("requests/new/", wizard_start, name="request_new"),
    path("requests/new/<str:tab>/", RequestWizardView.as_view(), name="request_wizard"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/progress/", requests.request_progress, name="request_progress"),
    path("requests/<int:pk>/cancel/", requests.request_cancel_view, name="request_cancel"),
    path(
        "requests/<int:pk>/grades/<int:job_pk>/",
        requests.grade_export_download,
        name="request_grades_download",
    ),
    path(
        "requests/<int:pk>/backups/<int:backup_pk>/",
        requests.backup_download,
        name="request_backup_download",
    ),
    path("requests/<int:pk>/kept-copy/", keep_copy.kept_copy_download, name="kept_copy_download"),
]
