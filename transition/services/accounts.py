"""Passage accounts and the three role groups."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from transition.permissions import Role

# What each staff group may do in the admin pages, by model: engineers read everything and
# correct courses and cohorts; admins manage Passage's data. Requests and jobs change only
# through the services (the approvals pages, the wizard, the engine), never in the admin pages.
ENGINEER_CHANGE_MODELS = ("course", "cohort")


def role_groups_grant_permissions() -> None:
    """Give the role groups their admin-page permissions (run after every migrate), and take
    back any they no longer have: accounts and groups (`auth`) are for superusers only, since
    whoever may change them may make themselves superuser."""
    transition_perms = Permission.objects.filter(content_type__app_label="transition")
    admin_group, _ = Group.objects.get_or_create(name=Role.ADMIN)
    admin_group.permissions.set(transition_perms)
    engineer_group, _ = Group.objects.get_or_create(name=Role.ENGINEER)
    engineer_group.permissions.set(
        transition_perms.filter(
            Q(codename__startswith="view_")
            | Q(codename__in=[f"change_{model}" for model in ENGINEER_CHANGE_MODELS])
        )
    )
    Group.objects.get_or_create(name=Role.TEACHER)


def user_grant_role(*, user: AbstractUser, role: Role) -> AbstractUser:
    """Put the user in the role's group; engineers and admins may open the admin pages."""
    with transaction.atomic():
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if role in (Role.ENGINEER, Role.ADMIN) and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def user_create(
    *,
    username: str,
    role: Role,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> AbstractUser:
    """Create an account; without a password it can only sign in through CAS."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        user_grant_role(user=user, role=role)
    return user
