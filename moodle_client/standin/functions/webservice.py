"""core_webservice: site information."""

from __future__ import annotations

import hashlib
from typing import Any

from moodle_client.standin.functions.common import user_picture_url
from moodle_client.standin.registry import FUNCTION_VERSION, FUNCTIONS, Call, List, Str, webservice
from moodle_client.standin.site import SITE_COURSE_ID

RELEASE = "5.0 (Build: 20250414)"
# Moodle lists each function with the version of its component: the companion plugin's
# functions carry local_passage's version (moodle_plugin/local_passage/version.php). A site may
# say otherwise (`site.passage_plugin_version`) to stand for an older plugin.
PLUGIN_VERSION = "2026120706"
PLUGIN_PREFIX = "local_passage_"

ADVANCED_FEATURES = [
    ("usecomments", 1),
    ("usetags", 1),
    ("enablenotes", 1),
    ("messaging", 1),
    ("enableblogs", 1),
    ("enablecompletion", 1),
    ("enablebadges", 1),
    ("messagingallusers", 0),
    ("enablecustomreports", 1),
    ("enableglobalsearch", 0),
    ("mnet_dispatcher_mode", 0),
    ("enablecompetencies", 1),
]


@webservice(
    "core_webservice_get_site_info",
    params={"serviceshortnames": List(Str("alpha"), default=[])},
    read_only=True,
)
def get_site_info(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The token user, the site release and the functions the token may call."""
    site, user = call.site, call.user
    allowed = site.tokens[call.token].functions
    names = sorted(n for n in FUNCTIONS if allowed is None or n in allowed)
    admin = user.siteadmin
    return {
        "sitename": site.sitename,
        "username": user.username,
        "firstname": user.firstname,
        "lastname": user.lastname,
        "fullname": user.fullname,
        "lang": user.lang,
        "userid": user.id,
        "siteurl": site.wwwroot,
        "userpictureurl": user_picture_url(site),
        "functions": [
            {
                "name": name,
                "version": (
                    getattr(site, "passage_plugin_version", PLUGIN_VERSION)
                    if name.startswith(PLUGIN_PREFIX)
                    else FUNCTION_VERSION
                ),
            }
            for name in names
        ],
        "downloadfiles": 1,
        "uploadfiles": 1,
        "release": RELEASE,
        "version": FUNCTION_VERSION,
        "mobilecssurl": "",
        "advancedfeatures": [{"name": n, "value": v} for n, v in ADVANCED_FEATURES],
        "usercanmanageownfiles": True,
        "userquota": 0 if admin else 104857600,
        "usermaxuploadfilesize": -1 if admin else 268435456,
        "userhomepage": 1,
        "userprivateaccesskey": hashlib.md5(f"{user.id}{user.username}".encode()).hexdigest(),
        "siteid": SITE_COURSE_ID,
        "sitecalendartype": "gregorian",
        "usercalendartype": "gregorian",
        "userissiteadmin": admin,
        "theme": "boost",
        "limitconcurrentlogins": 0,
        "policyagreed": 0,
    }
