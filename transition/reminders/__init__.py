"""Nobody forgets to choose: reminders to teachers whose courses still have no choice, the
count of those courses on the dashboard, and the engineers' digest of requests waiting."""
