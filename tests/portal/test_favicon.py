"""The site's icon: every page names it, and /favicon.ico leads to it."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client


def test_favicon_ico_leads_to_the_svg_icon_without_signing_in(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon is not None
    assert Path(icon).read_text().lstrip().startswith("<svg")


def test_pages_name_the_icon(db: None) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
