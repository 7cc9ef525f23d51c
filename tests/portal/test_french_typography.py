"""The French catalogue follows French typography: a narrow no-break space (U+202F) before
« : ; ? ! » and inside « » quotes, typographic apostrophes, no English quotes."""

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
