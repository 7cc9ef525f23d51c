from django.urls import path

from transition.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("status.json", views.dashboard_status, name="status"),
    path("failures/", views.dashboard_failures, name="failures"),
    path("courses/", views.dashboard_courses, name="courses"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("campaigns/<int:campaign_id>/retry-group/", views.group_retry, name="group_retry"),
    path("campaigns/<int:campaign_id>/cancel-group/", views.group_cancel, name="group_cancel"),
    path("campaigns/<int:campaign_id>/pause/", views.campaign_pause_view, name="pause"),
    path("campaigns/<int:campaign_id>/resume/", views.campaign_resume_view, name="resume"),
]
