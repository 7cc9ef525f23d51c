"""core_user: creating users."""

from __future__ import annotations

import re
from typing import Any

from moodle_client.standin.registry import (
    Bool,
    Call,
    List,
    Str,
    Struct,
    invalid_parameter,
    webservice,
)
from moodle_client.standin.site import SYSTEM_CONTEXT_ID

AUTH_METHODS = ("manual", "cas", "ldap", "shibboleth", "oauth2", "nologin", "email")


@webservice(
    "core_user_create_users",
    params={
        "users": List(
            Struct(
                {
                    "createpassword": Bool(required=False),
                    "username": Str("username"),
                    "auth": Str("plugin", default="manual"),
                    "password": Str(required=False),
                    "firstname": Str("notags"),
                    "lastname": Str("notags"),
                    "email": Str(),
                    "maildisplay": Str(required=False),
                    "city": Str("notags", required=False),
                    "country": Str("alpha", required=False),
                    "timezone": Str("timezone", required=False),
                    "description": Str(required=False),
                    "firstnamephonetic": Str("notags", required=False),
                    "lastnamephonetic": Str("notags", required=False),
                    "middlename": Str("notags", required=False),
                    "alternatename": Str("notags", required=False),
                    "interests": Str("text", required=False),
                    "idnumber": Str(default=""),
                    "institution": Str("text", required=False),
                    "department": Str("text", required=False),
                    "phone1": Str("notags", required=False),
                    "phone2": Str("notags", required=False),
                    "address": Str("text", required=False),
                    "lang": Str("lang", required=False),
                    "calendartype": Str("plugin", required=False),
                    "theme": Str("plugin", required=False),
                    "mailformat": Str(required=False),
                    "customfields": List(
                        Struct({"type": Str("alpha"), "value": Str()}), required=False
                    ),
                    "preferences": List(Struct({"type": Str(), "value": Str()}), required=False),
                }
            )
        )
    },
)
def create_users(call: Call, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Creates users; any invalid one fails the whole call."""
    site = call.site
    call.require_capability("moodle/user:create", SYSTEM_CONTEXT_ID)
    seen_usernames: set[str] = set()
    seen_emails: set[str] = set()
    for wanted in params["users"]:
        for name in ("username", "firstname", "lastname"):
            if not wanted[name].strip():
                raise invalid_parameter(f"The field {name} cannot be blank")
        if site.user_by_username(wanted["username"]) or wanted["username"] in seen_usernames:
            raise invalid_parameter(f"Username already exists: {wanted['username']}")
        if wanted["auth"] not in AUTH_METHODS:
            raise invalid_parameter(f"Invalid authentication type: {wanted['auth']}")
        if (
            not wanted.get("password")
            and not wanted.get("createpassword")
            and (wanted["auth"] == "manual")
        ):
            raise invalid_parameter(
                "Invalid password: you must provide a password, or set createpassword."
            )
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", wanted["email"]):
            raise invalid_parameter(f"Email address is invalid: {wanted['email']}")
        if wanted["email"] in seen_emails or any(
            u.email == wanted["email"] for u in site.users.values() if not u.deleted
        ):
            raise invalid_parameter(f"Email address already exists: {wanted['email']}")
        seen_usernames.add(wanted["username"])
        seen_emails.add(wanted["email"])
    created = []
    for wanted in params["users"]:
        user = site.add_user(
            wanted["username"],
            wanted["firstname"],
            wanted["lastname"],
            email=wanted["email"],
            idnumber=wanted["idnumber"],
            auth=wanted["auth"],
            lang=wanted.get("lang", "en"),
            department=wanted.get("department", ""),
            institution=wanted.get("institution", ""),
            password=wanted.get("password", ""),
        )
        created.append({"id": user.id, "username": user.username})
    return created
