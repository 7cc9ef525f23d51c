"""The French catalogue follows French typography: a narrow no-break space (U+202F) before
« : ; ? ! » and inside « » quotes, typographic apostrophes, no English quotes; and every
message has its French, none left fuzzy or copied from the English."""

import gettext
import re
from pathlib import Path

import pytest
from django.core.management import call_command

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœ"


@pytest.fixture(scope="module")
def french() -> list[str]:
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        call_command("compilemessages", verbosity=0)
    with MO.open("rb") as catalogue:
        messages = gettext.GNUTranslations(catalogue)._catalog  # type: ignore[attr-defined]
    return [
        text
        for key, text in messages.items()
        if key and (key[0] if isinstance(key, tuple) else key)  # not the header
    ]


def offences(pattern: str, texts: list[str]) -> list[str]:
    return [text for text in texts if "<" not in text and re.search(pattern, text)]


def test_a_narrow_no_break_space_comes_before_high_punctuation(french: list[str]) -> None:
    assert not offences(r"[ \u00a0][:;?!]", french)
    assert not offences(rf"[{LETTER}][;?!]", french)
    assert not offences(rf"[{LETTER}]:(\s|$)", french)


def test_french_quotes_hold_narrow_no_break_spaces(french: list[str]) -> None:
    assert not offences(r"[“”]", french)
    assert not offences(r"«(?!\u202f)", french)
    assert not offences(r"(?<!\u202f)»", french)


def test_apostrophes_are_typographic(french: list[str]) -> None:
    assert not offences(rf"[{LETTER}]'[{LETTER}]", french)


# Words that French writes as English does: names, and Moodle's own French names.
SAME_IN_FRENCH = {
    "Passage", "Moodle", "Menu", "Administration", "Plugin", "Pages", "Page", "pages", "Action",
    "action", "Total", "URL", "description", "visible", "campus", "position", "SHA-1", "SHA-256",
    "Participants", "participants", "discussions", "Discussion", "Dates.", "BigBlueButton",
    "Feedback", "Forums", "Forum", "H5P", "Wikis", "Wiki", "Options", "%(number)s. Options",
    "Cause", "Concept", "Message", "message", "mode", "Date (UTC)", "installation",
    "%(n)s participant (%(sources)s)",
}  # fmt: skip


def test_every_message_has_a_french_translation() -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]
    assert not [entry for entry in entries if "#, fuzzy" in entry]
    assert not [entry for entry in entries if re.search(r'^msgstr(\[\d\])? ""\s*\Z', entry, re.M)]


def test_a_message_reads_as_in_english_only_when_it_is_a_name() -> None:
    with MO.open("rb") as catalogue:
        messages = gettext.GNUTranslations(catalogue)._catalog  # type: ignore[attr-defined]
    same = {
        text
        for key, text in messages.items()
        if key and text == (key[0] if isinstance(key, tuple) else key)
    }
    assert same <= SAME_IN_FRENCH, same - SAME_IN_FRENCH
