from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

handler500 = "transition.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("approvals/", include("transition.approvals.urls")),
    path("admin-portal/", include("transition.admin_portal.urls")),
    path("dashboard/", include("transition.dashboard.urls")),
    path("reminders/", include("transition.reminders.urls")),
    path("audit/", include("transition.audit_views")),
    path("notifications/", include("transition.notifications.views")),
    path("", include("transition.urls_teacher")),
    path("", include("transition.urls")),
]

if settings.CAS_SERVER_URL:
    import django_cas_ng.views

    from portal.cas_views import CasLoginView, CasLogoutView

    urlpatterns += [
        path("accounts/login/", CasLoginView.as_view(), name="login"),
        path("accounts/logout/", CasLogoutView.as_view(), name="logout"),
        path(
            "accounts/callback/",
            django_cas_ng.views.CallbackView.as_view(),
            name="cas_ng_proxy_callback",
        ),
    ]
else:
    urlpatterns += [
        path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
        path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    ]
