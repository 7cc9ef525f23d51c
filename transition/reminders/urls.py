from django.urls import path

from transition.reminders import views

app_name = "reminders"

urlpatterns = [
    path(
        "campaigns/<int:campaign_id>/send-now/",
        views.reminders_send_now_view,
        name="send_now",
    ),
]
