"""How the stand-in declares its web-service functions, validates their parameters and fails.

A function is declared with `@webservice(name, params={...})`. Its parameter description
mirrors Moodle's external API (`external_value`, `external_single_structure`,
`external_multiple_structure`): `Int`, `Float`, `Bool`, `Str`, `Struct` and `List`, each
required, optional (absent when not sent) or with a default. `validate` follows
`core_external\\external_api::validate_parameters` step by step, so a bad call fails with the
same `invalidparameter` exception and, when the server's debugging is on, the same `debuginfo`.

Errors are `MoodleError`s carrying the PHP exception class, the errorcode, the message and the
debug information, exactly as the REST server prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moodle_client.standin.site import SYSTEM_CONTEXT_ID, Site, User

FUNCTION_VERSION = "2025041400"

MOODLE_EXCEPTION = "core\\exception\\moodle_exception"
INVALID_PARAMETER_EXCEPTION = "core\\exception\\invalid_parameter_exception"
REQUIRED_CAPABILITY_EXCEPTION = "core\\exception\\required_capability_exception"
MISSING_RECORD_EXCEPTION = "dml_missing_record_exception"
WEBSERVICE_ACCESS_EXCEPTION = "webservice_access_exception"


class MoodleError(Exception):
    """An exception as Moodle's REST server reports it.

    `debug_errorcode` / `debug_message` replace the code and message when the site's
    debugging is on (a missing record says which table only then).
    """

    def __init__(
        self,
        exception: str,
        errorcode: str,
        message: str,
        debuginfo: str | None = None,
        *,
        debug_errorcode: str | None = None,
        debug_message: str | None = None,
    ) -> None:
        super().__init__(f"{errorcode}: {message}")
        self.exception = exception
        self.errorcode = errorcode
        self.message = message
        self.debuginfo = debuginfo
        self.debug_errorcode = debug_errorcode
        self.debug_message = debug_message

    def as_dict(self, *, debug: bool) -> dict[str, str]:
        answer = {
            "exception": self.exception,
            "errorcode": (self.debug_errorcode or self.errorcode) if debug else self.errorcode,
            "message": (self.debug_message or self.message) if debug else self.message,
        }
        if debug and self.debuginfo is not None:
            answer["debuginfo"] = self.debuginfo
        return answer


def invalid_parameter(debuginfo: str = "") -> MoodleError:
    return MoodleError(
        INVALID_PARAMETER_EXCEPTION,
        "invalidparameter",
        "Invalid parameter value detected",
        debuginfo,
    )


def invalid_response(debuginfo: str = "") -> MoodleError:
    """What Moodle throws when its own answer does not match the function's return structure."""
    return MoodleError(
        "core\\exception\\invalid_response_exception",
        "invalidresponse",
        "Invalid response value detected",
        debuginfo,
    )


def missing_record(table: str, sql: str, values: list[Any]) -> MoodleError:
    """What `$DB->get_record(..., MUST_EXIST)` throws when nothing matches."""
    rendered = ",\n".join(f"  {i} => {_php_export(v)}" for i, v in enumerate(values))
    return MoodleError(
        MISSING_RECORD_EXCEPTION,
        "invalidrecordunknown",
        "Can't find data record in database.",
        f"{sql}\n[array (\n{rendered},\n)]",
        debug_errorcode="invalidrecord",
        debug_message=f"Can't find data record in database table {table}.",
    )


def missing_record_by_id(table: str, record_id: int) -> MoodleError:
    return missing_record(table, f"SELECT * FROM {{{table}}} WHERE id = ?", [record_id])


def moodle_exception(errorcode: str, message: str, debuginfo: str | None = None) -> MoodleError:
    return MoodleError(MOODLE_EXCEPTION, errorcode, message, debuginfo)


def _php_export(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(value)


# Human names of the capabilities the stand-in checks, as `nopermissions` messages show them.
CAPABILITY_NAMES = {
    "moodle/course:create": "Create courses",
    "moodle/course:update": "Update course settings",
    "moodle/course:manageactivities": "Manage activities",
    "moodle/course:delete": "Delete courses",
    "moodle/course:reset": "Reset course",
    "moodle/course:view": "View courses without participation",
    "moodle/course:viewparticipants": "View participants",
    "moodle/course:enrolreview": "Review course enrolments",
    "moodle/course:enrolconfig": "Configure enrol instances in courses",
    "moodle/course:managegroups": "Manage groups",
    "moodle/category:manage": "Manage course categories",
    "moodle/cohort:manage": "Create, delete and move cohorts",
    "moodle/cohort:view": "View site-wide cohorts",
    "moodle/role:assign": "Assign roles to users",
    "moodle/user:create": "Create users",
    "moodle/backup:backupcourse": "Backup courses",
    "moodle/backup:userinfo": "Backup user data",
    "moodle/backup:anonymise": "Anonymise user information on backup",
    "moodle/restore:restorecourse": "Restore courses",
    "moodle/grade:edit": "Edit grades",
    "moodle/calendar:manageentries": "Manage any calendar entries",
    "enrol/manual:enrol": "Enrol users",
    "enrol/manual:unenrol": "Unenrol users from the course",
    "enrol/cohort:config": "Configure cohort instances",
    "mod/forum:startdiscussion": "Start new discussions",
}


def no_permissions(capability: str) -> MoodleError:
    name = CAPABILITY_NAMES.get(capability, capability)
    return MoodleError(
        REQUIRED_CAPABILITY_EXCEPTION,
        "nopermissions",
        f"Sorry, but you do not currently have permissions to do that ({name}).",
    )


# ----------------------------------------------------------------------- parameter types

NO_DEFAULT: Any = object()


class Param:
    """One node of a parameter description. `required=False` without a default is Moodle's
    VALUE_OPTIONAL (the key is then absent from the validated parameters)."""

    def __init__(
        self, *, required: bool = True, default: Any = NO_DEFAULT, allow_null: bool = False
    ) -> None:
        self.has_default = default is not NO_DEFAULT
        self.required = required and not self.has_default
        self.default = None if default is NO_DEFAULT else default
        self.allow_null = allow_null

    def validate(self, value: Any) -> Any:
        raise NotImplementedError


class Scalar(Param):
    type_name = "raw"

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_null:
            return None
        if isinstance(value, dict | list):
            raise invalid_parameter("Scalar type expected, array or object received.")
        debuginfo = (
            f'Invalid external api parameter: the value is "{_php_string(value)}", '
            f'the server was expecting "{self.type_name}" type'
        )
        if value is None:
            raise invalid_parameter(debuginfo)
        return self.clean(value, debuginfo)

    def clean(self, value: Any, debuginfo: str) -> Any:
        raise NotImplementedError


def _php_string(value: Any) -> str:
    if value is True:
        return "1"
    if value is False or value is None:
        return ""
    return str(value)


_INT = re.compile(r"-?[1-9][0-9]*|0")
_FLOAT = re.compile(r"[+-]?[0-9]*\.?[0-9]*(e[-+]?[0-9]+)?", re.IGNORECASE)


class Int(Scalar):
    type_name = "int"

    def clean(self, value: Any, debuginfo: str) -> int:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INT.fullmatch(value):
            return int(value)
        raise invalid_parameter(debuginfo)


class Float(Scalar):
    type_name = "float"

    def clean(self, value: Any, debuginfo: str) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value)
        if not text.strip() or not _FLOAT.fullmatch(text):
            raise invalid_parameter(debuginfo)
        try:
            return float(text)
        except ValueError:
            raise invalid_parameter(debuginfo) from None


class Bool(Scalar):
    type_name = "bool"

    def clean(self, value: Any, debuginfo: str) -> bool:
        if isinstance(value, bool):
            return value
        if value in (0, 1, "0", "1"):
            return bool(int(value))
        raise invalid_parameter(debuginfo)


_TAGS = re.compile(r"<[^>]*>")
_CLEANERS: dict[str, Callable[[str], str]] = {
    "raw": lambda s: s,
    "text": lambda s: _TAGS.sub("", s),
    "notags": lambda s: _TAGS.sub("", s),
    "alpha": lambda s: re.sub(r"[^a-zA-Z]", "", s),
    "alphaext": lambda s: re.sub(r"[^a-zA-Z/_-]", "", s),
    "alphanumext": lambda s: re.sub(r"[^a-zA-Z0-9_-]", "", s),
    "plugin": lambda s: s if re.fullmatch(r"[a-z][a-z0-9_]*", s) else "",
    "component": lambda s: s if re.fullmatch(r"[a-z][a-z0-9_]*", s) else "",
    "area": lambda s: s if re.fullmatch(r"[a-z][a-z0-9_]*", s) else "",
    "username": lambda s: s.strip().lower(),
    "email": lambda s: s if re.fullmatch(r"[^@\s]+@[^@\s]+", s) else "",
    "path": lambda s: s,
    "file": lambda s: re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "", s),
    "url": lambda s: s,
    "lang": lambda s: s,
    "theme": lambda s: s,
    "timezone": lambda s: s,
    "auth": lambda s: s,
}


class Str(Scalar):
    """A string parameter; `kind` is the PARAM_ type name (raw, text, alphanumext, ...)."""

    def __init__(
        self,
        kind: str = "raw",
        *,
        required: bool = True,
        default: Any = NO_DEFAULT,
        allow_null: bool = False,
    ) -> None:
        super().__init__(required=required, default=default, allow_null=allow_null)
        self.type_name = kind
        self._cleaner = _CLEANERS[kind]

    def clean(self, value: Any, debuginfo: str) -> str:
        text = _php_string(value)
        if self._cleaner(text) != text:
            raise invalid_parameter(debuginfo)
        return text


class Struct(Param):
    def __init__(
        self,
        keys: Mapping[str, Param],
        *,
        required: bool = True,
        default: Any = NO_DEFAULT,
        allow_null: bool = False,
    ) -> None:
        super().__init__(required=required, default=default, allow_null=allow_null)
        self.keys = dict(keys)

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_null:
            return None
        if not isinstance(value, dict):
            raise invalid_parameter(
                f"Only arrays accepted. The bad value is: '{_php_string(value)}'"
            )
        remaining = dict(value)
        result: dict[str, Any] = {}
        for key, description in self.keys.items():
            if key not in remaining:
                if description.required:
                    raise invalid_parameter(f"Missing required key in single structure: {key}")
                if description.has_default:
                    result[key] = _nested(key, description, description.default)
            else:
                result[key] = _nested(key, description, remaining.pop(key))
        if remaining:
            names = ", ".join(str(k) for k in remaining)
            raise invalid_parameter(f"Unexpected keys ({names}) detected in parameter array.")
        return result


class List(Param):
    def __init__(
        self,
        content: Param,
        *,
        required: bool = True,
        default: Any = NO_DEFAULT,
        allow_null: bool = False,
    ) -> None:
        super().__init__(required=required, default=default, allow_null=allow_null)
        self.content = content

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_null:
            return None
        if isinstance(value, list):
            items = value
        elif isinstance(value, dict):
            items = list(value.values())
        else:
            raise invalid_parameter(
                f"Only arrays accepted. The bad value is: '{_php_string(value)}'"
            )
        return [self.content.validate(item) for item in items]


def _nested(key: str, description: Param, value: Any) -> Any:
    try:
        return description.validate(value)
    except MoodleError as error:
        if error.errorcode != "invalidparameter":
            raise
        raise invalid_parameter(f"{key} => {error.message}: {error.debuginfo or ''}") from None


def name_value_list() -> List:
    """The `options` list of {name, value} pairs many core functions take."""
    return List(Struct({"name": Str(), "value": Str()}), default=[])


# ----------------------------------------------------------------------- functions


@dataclass
class Call:
    """What a web-service function gets besides its parameters."""

    site: Site
    user: User
    token: str
    debug: bool = False

    @property
    def wwwroot(self) -> str:
        return self.site.wwwroot

    def require_capability(self, capability: str, contextid: int) -> None:
        if not self.site.has_capability(self.user.id, capability, contextid):
            raise no_permissions(capability)


Handler = Callable[[Call, dict[str, Any]], Any]


@dataclass
class WebServiceFunction:
    name: str
    params: Struct
    handler: Handler
    returns_null: bool = False
    capability: str | None = None
    # Read-only functions do not change the site (the server persists state after the others).
    read_only: bool = False
    description: str = field(default="")
    # In XML, Moodle writes every key of the return description, optional ones included (as
    # null or an empty list); JSON leaves them out. This turns an answer into its XML form.
    xml_answer: Callable[[Any], Any] | None = None

    def run(self, call: Call, raw_params: dict[str, Any]) -> Any:
        params = self.params.validate(raw_params)
        if self.capability is not None:
            call.require_capability(self.capability, SYSTEM_CONTEXT_ID)
        answer = self.handler(call, params)
        if self.returns_null:
            return None
        return answer


FUNCTIONS: dict[str, WebServiceFunction] = {}


def webservice(
    name: str,
    *,
    params: Mapping[str, Param] | None = None,
    returns_null: bool = False,
    capability: str | None = None,
    read_only: bool = False,
    xml_answer: Callable[[Any], Any] | None = None,
) -> Callable[[Handler], Handler]:
    """Declares `name` as a web-service function of the stand-in.

    `capability` is checked in the system context after the parameters are validated, as
    most core functions do first thing; context-specific checks go through
    `call.require_capability`.
    """

    def register(handler: Handler) -> Handler:
        FUNCTIONS[name] = WebServiceFunction(
            name=name,
            params=Struct(params or {}),
            handler=handler,
            returns_null=returns_null,
            capability=capability,
            read_only=read_only,
            description=(handler.__doc__ or "").strip(),
            xml_answer=xml_answer,
        )
        return handler

    return register
