"""`/webservice/rest/server.php`: token, function and service checks, then the call, then the
answer in JSON or in Moodle's XML (webservice/rest/locallib.php)."""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass
from html import escape
from typing import Any

from moodle_client.standin.registry import (
    FUNCTIONS,
    WEBSERVICE_ACCESS_EXCEPTION,
    Call,
    MoodleError,
    WebServiceFunction,
    invalid_parameter,
    missing_record,
)
from moodle_client.standin.site import SYSTEM_CONTEXT_ID, Site, User

logger = logging.getLogger(__name__)

JSON_CONTENT_TYPE = "application/json"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
REST_USE = "webservice/rest:use"


@dataclass
class RestAnswer:
    body: bytes
    content_type: str
    changed_site: bool = False


def invalid_token() -> MoodleError:
    return MoodleError(
        "core\\exception\\moodle_exception", "invalidtoken", "Invalid token - token not found"
    )


def access_exception(debuginfo: str) -> MoodleError:
    return MoodleError(
        WEBSERVICE_ACCESS_EXCEPTION, "accessexception", "Access control exception", debuginfo
    )


def authenticate(site: Site, token: str | None) -> User:
    """The token's user, who must be allowed to use the REST protocol."""
    record = site.tokens.get(token or "")
    if record is None or record.userid not in site.users:
        raise invalid_token()
    user = site.users[record.userid]
    if not site.has_capability(user.id, REST_USE, SYSTEM_CONTEXT_ID):
        raise access_exception(
            "You are not allowed to use the rest protocol (missing capability: webservice/rest:use)"
        )
    return user


def find_function(site: Site, token: str, name: str | None) -> WebServiceFunction:
    if not name:
        raise invalid_parameter("Missing function name")
    function = FUNCTIONS.get(name)
    if function is None:
        raise missing_record(
            "external_functions", "SELECT * FROM {external_functions} WHERE name = ?", [name]
        )
    allowed = site.tokens[token].functions
    if allowed is not None and name not in allowed:
        raise access_exception(f"Access to the function {name}() is not allowed.")
    return function


def handle_rest(site: Site, fields: dict[str, Any], *, debug: bool) -> RestAnswer:
    """Answers one REST request whose form fields (GET and POST merged) are `fields`."""
    params = dict(fields)
    json_format = params.pop("moodlewsrestformat", None) == "json"
    token = params.pop("wstoken", None)
    name = params.pop("wsfunction", None)
    token = token if isinstance(token, str) else None
    name = name if isinstance(name, str) else None
    changed = False
    try:
        with site.lock:
            user = authenticate(site, token)
            assert token is not None
            function = find_function(site, token, name)
            call = Call(site=site, user=user, token=token, debug=debug)
            changed = not function.read_only
            answer = function.run(call, params)
            if not json_format and function.xml_answer is not None:
                answer = function.xml_answer(answer)
    except MoodleError as error:
        return RestAnswer(
            _encode_error(error, json_format=json_format, debug=debug),
            _content_type(json_format),
            changed,
        )
    except Exception as error:  # a fault of the stand-in itself, reported as Moodle would
        logger.error("stand-in function %s failed:\n%s", name, traceback.format_exc())
        coding = MoodleError(
            "coding_exception",
            "codingerror",
            f"Coding error detected, it must be fixed by a programmer: {error}",
        )
        return RestAnswer(
            _encode_error(coding, json_format=json_format, debug=debug),
            _content_type(json_format),
            changed,
        )
    body = encode_json(answer) if json_format else encode_xml_response(answer)
    return RestAnswer(body, _content_type(json_format), changed)


def _content_type(json_format: bool) -> str:
    return JSON_CONTENT_TYPE if json_format else XML_CONTENT_TYPE


def encode_json(value: Any) -> bytes:
    """JSON as PHP's json_encode writes it (slashes and non-ASCII escaped)."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/").encode("ascii")


def _encode_error(error: MoodleError, *, json_format: bool, debug: bool) -> bytes:
    fields = error.as_dict(debug=debug)
    if json_format:
        return encode_json(fields)
    lines = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        f'<EXCEPTION class="{fields["exception"]}">',
        f"<ERRORCODE>{escape(fields['errorcode'], quote=True)}</ERRORCODE>",
        f"<MESSAGE>{escape(fields['message'], quote=True)}</MESSAGE>",
    ]
    if "debuginfo" in fields:
        lines.append(f"<DEBUGINFO>{escape(fields['debuginfo'], quote=True)}</DEBUGINFO>")
    lines.append("</EXCEPTION>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def encode_xml_response(value: Any) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n'
        + ("" if value is None else _xmlize(value))
        + "</RESPONSE>\n"
    ).encode("utf-8")


def _xmlize(value: Any) -> str:
    if isinstance(value, dict):
        keys = "".join(f'<KEY name="{key}">{_xmlize(item)}</KEY>\n' for key, item in value.items())
        return f"<SINGLE>\n{keys}</SINGLE>\n"
    if isinstance(value, list):
        return "<MULTIPLE>\n" + "".join(_xmlize(item) for item in value) + "</MULTIPLE>\n"
    if value is None:
        return '<VALUE null="null"/>\n'
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"<VALUE>{escape(str(value), quote=True)}</VALUE>\n"
