from django.http import HttpRequest

from transition import permissions


def roles(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's roles, for the navigation bar."""
    user = request.user
    return {
        "passage_roles": {role.value for role in permissions.user_roles(user)},
        "passage_is_staff_role": permissions.is_staff_role(user),
    }
