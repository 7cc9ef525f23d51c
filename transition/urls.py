from django.urls import path

from transition import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("backups/fetch/<str:token>/", views.backup_fetch, name="backup_fetch"),
]
