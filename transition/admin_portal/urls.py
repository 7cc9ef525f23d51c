from django.urls import path

from transition.admin_portal import apogee, views

app_name = "admin_portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("instances/", views.instances_list, name="instances"),
    path("instances/new/", views.instance_edit, name="instance_new"),
    path("instances/<int:pk>/", views.instance_edit, name="instance_edit"),
    path("instances/<int:pk>/test/", views.instance_test, name="instance_test"),
    path("apogee/", apogee.apogee_import, name="apogee_import"),
    path("apogee/apply/", apogee.apogee_apply, name="apogee_apply"),
    path("campaigns/", views.campaigns_list, name="campaigns"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/operations/", views.campaign_operations, name="operations"),
    path(
        "campaigns/<int:pk>/operations/<str:name>/run/",
        views.campaign_operation_run,
        name="operation_run",
    ),
    path("campaigns/<int:pk>/<str:move>/", views.campaign_move, name="campaign_move"),
    path("restore/", views.restore_search, name="restore_search"),
    path("restore/<int:backup_id>/", views.restore_prepare, name="restore_prepare"),
    path("restore/<int:backup_id>/confirm/", views.restore_confirm, name="restore_confirm"),
    path("backups/retention/", views.backups_retention, name="backups_retention"),
    path("policies/", views.policies_list, name="policies"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
]
