from django.urls import path

from transition.approvals import requests_list, views

app_name = "approvals"

urlpatterns = [
    path("", views.approvals_index, name="index"),
    path("requests/", requests_list.requests_list, name="requests"),
    path("bulk-approve/", views.approvals_bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.approvals_detail, name="detail"),
    path(
        "<int:pk>/<str:decision>/",
        views.approvals_decide,
        name="decide",
    ),
]
