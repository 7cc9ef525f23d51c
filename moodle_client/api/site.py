"""core_webservice: who the token is and what it may call."""

from __future__ import annotations

from moodle_client.api.base import ApiBase
from moodle_client.types.site import SiteInfo


class SiteApi(ApiBase):
    def get_site_info(self) -> SiteInfo:
        """The site, the token's user and the functions of the token's service.

        https://docs.moodle.org/dev/Web_service_API_functions#core_webservice_get_site_info
        (``core_webservice\\external\\get_site_info``)
        """
        info = self._fetch("core_webservice_get_site_info", {}, SiteInfo.from_json)
        self._remember_functions(info.functions)
        return info

    def _remember_functions(self, functions: frozenset[str]) -> None:
        """Hook for the client's cache of callable functions."""
