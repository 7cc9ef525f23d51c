"""Apogée's curriculum export: good files in both usual forms, bad files refused whole."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import CohortFactory, MoodleInstanceFactory, UserFactory
from transition.apogee_csv import ApogeeFileRefused, apogee_parse
from transition.models import Cohort, MoodleInstance
from transition.services.cohorts import cohorts_import_apogee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English here; the French ones are checked on the page."""
    with translation.override("en"):
        yield


# What a spreadsheet on Windows saves: semicolons, Latin-1, French headers with accents.
SEMICOLON_LATIN1 = (
    "Code étape;Version;Libellé;Composante;Campus;Année\r\n"
    "L1CHIM;231;LICENCE 1 CHIMIE;UFR des Sciences;Amiens;2025\r\n"
    "L1CHIM;241;LICENCE 1 CHIMIE;UFR des Sciences;Amiens;2026\r\n"
    "L2PHYS;231;LICENCE 2 PHYSIQUE;UFR des Sciences;Amiens;2025-2026\r\n"
).encode("latin-1")

COMMA_UTF8 = (
    "CODE_ETAPE,VERSION_ETAPE,LIBELLE_WEB,COMPOSANTE,CAMPUS,ANNEE_UNIVERSITAIRE\n"
    'M1HIST,231,"MASTER 1 HISTOIRE, PATRIMOINE",UFR Histoire,Caen,2025\n'
    "M1HIST,231,MASTER 1 HISTOIRE,UFR Histoire,Saint-Lô,2025\n"
).encode()


@pytest.fixture
def instance() -> MoodleInstance:
    return MoodleInstanceFactory(name="ecampus", role=MoodleInstance.Role.CURRENT)


def test_semicolon_latin1_export_creates_cohorts_named_as_moodle_names_them(instance):
    summary = cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    cohort = Cohort.objects.get(instance=instance, idnumber="L1CHIM231")
    assert (cohort.apogee_code, cohort.apogee_version, cohort.label) == (
        "L1CHIM",
        "231",
        "LICENCE 1 CHIMIE",
    )
    assert (cohort.component, cohort.campus, cohort.year) == ("UFR des Sciences", "Amiens", 2025)
    assert Cohort.objects.get(idnumber="L2PHYS231").year == 2025


def test_next_years_cohort_is_suggested_as_successor(instance):
    summary = cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    assert summary.successors == [("L1CHIM231", "L1CHIM241")]
    assert Cohort.objects.get(idnumber="L1CHIM231").successor.idnumber == "L1CHIM241"
    assert Cohort.objects.get(idnumber="L2PHYS231").successor is None


def test_a_successor_chosen_by_hand_is_kept(instance):
    chosen = CohortFactory(instance=instance, idnumber="L1CHIMBIS", apogee_code="")
    CohortFactory(
        instance=instance,
        idnumber="L1CHIM231",
        apogee_code="L1CHIM",
        apogee_version="231",
        campus="Amiens",
        successor=chosen,
    )
    cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    assert Cohort.objects.get(idnumber="L1CHIM231").successor == chosen


def test_comma_utf8_export_with_a_campus_column_needs_one_idnumber_per_cohort(instance):
    # Two campuses of one step version give the same Moodle idnumber: the file must say which.
    with pytest.raises(ApogeeFileRefused) as refused:
        cohorts_import_apogee(instance=instance, data=COMMA_UTF8)
    assert [str(error) for error in refused.value.errors] == [
        "line 3: cohort M1HIST231 already appears on line 2"
    ]
    with_idnumbers = (
        "code etape,version,libelle,campus,annee,cohorte\n"
        'M1HIST,231,"MASTER 1 HISTOIRE, PATRIMOINE",Caen,2025,M1HIST231\n'
        "M1HIST,231,MASTER 1 HISTOIRE,Saint-Lô,2025,M1HIST231-SL\n"
    ).encode()
    summary = cohorts_import_apogee(instance=instance, data=with_idnumbers)
    assert summary.created == 2
    assert Cohort.objects.get(idnumber="M1HIST231").label == "MASTER 1 HISTOIRE, PATRIMOINE"
    assert Cohort.objects.get(idnumber="M1HIST231-SL").campus == "Saint-Lô"


def test_importing_the_same_file_twice_changes_nothing(instance):
    cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    again = cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_import_updates_a_cohort_moodle_already_had(instance):
    CohortFactory(instance=instance, idnumber="L1CHIM231", label="ancien libellé", moodle_id=12)
    summary = cohorts_import_apogee(instance=instance, data=SEMICOLON_LATIN1)
    assert (summary.created, summary.updated) == (2, 1)
    cohort = Cohort.objects.get(idnumber="L1CHIM231")
    assert (cohort.label, cohort.moodle_id) == ("LICENCE 1 CHIMIE", 12)


def test_a_bad_line_refuses_the_whole_file_with_its_line_number(instance):
    bad = (
        "Code étape;Version;Libellé;Composante;Campus;Année\n"
        "L1CHIM;231;LICENCE 1 CHIMIE;UFR des Sciences;Amiens;2025\n"
        "L2CHIM;deux;LICENCE 2 CHIMIE;UFR des Sciences;Amiens;2025\n"
        "L3CHIM;231;;UFR des Sciences;Amiens;2025-2027\n"
    ).encode()
    with pytest.raises(ApogeeFileRefused) as refused:
        cohorts_import_apogee(instance=instance, data=bad)
    assert [str(error) for error in refused.value.errors] == [
        "line 3: version 'deux' is not a number",
        "line 4: the label is empty",
        "line 4: year '2025-2027' does not span two years",
    ]
    assert not Cohort.objects.exists()  # line 2 was good, and still nothing was imported


def test_a_file_without_the_required_columns_is_refused():
    with pytest.raises(ApogeeFileRefused) as refused:
        apogee_parse(b"code;libelle\nL1CHIM;LICENCE 1\n")
    assert refused.value.errors[0].line == 1
    assert "version, year" in refused.value.errors[0].message


def test_an_empty_file_is_refused():
    with pytest.raises(ApogeeFileRefused):
        apogee_parse(b"")


def test_command_imports_into_the_current_platform(instance, tmp_path, capsys):
    export = tmp_path / "apogee.csv"
    export.write_bytes(SEMICOLON_LATIN1)
    call_command("import_apogee", str(export))
    out = capsys.readouterr().out
    assert "3 cohorts created" in out
    assert "next year's cohort of L1CHIM231: L1CHIM241" in out
    assert Cohort.objects.filter(instance=instance).count() == 3


def test_command_reports_every_bad_line_and_imports_nothing(instance, tmp_path, capsys):
    export = tmp_path / "apogee.csv"
    export.write_bytes(
        b"code etape;version;libelle;annee\nL1CHIM;231;L1;2025\nL1 CHIM;231;L1;2025\n"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_apogee", str(export))
    assert "line 3: step code 'L1 CHIM' is not an Apogée code" in capsys.readouterr().err
    assert not Cohort.objects.exists()


def _upload(data: bytes, name: str = "apogee.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_import_page_previews_then_applies_the_file(instance, client):
    CohortFactory(instance=instance, idnumber="L1CHIM231", label="ancien libellé", moodle_id=12)
    client.force_login(UserFactory(roles=["admin"]))
    page = client.get(reverse("admin_portal:apogee_import"), HTTP_ACCEPT_LANGUAGE="fr")
    # The current platform is chosen already.
    assert page.context["form"].initial["instance"] == instance

    preview = client.post(
        reverse("admin_portal:apogee_import"),
        {"instance": instance.pk, "file": _upload(SEMICOLON_LATIN1)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    html = preview.content.decode()
    assert 'data-testid="apogee-preview"' in html
    assert "2 cohortes à créer" in html and "1 cohorte à mettre à jour" in html
    assert "ancien libellé" in html and "LICENCE 1 CHIMIE" in html
    assert Cohort.objects.filter(instance=instance).count() == 1  # nothing written yet

    sha256 = preview.context["upload"]["sha256"]
    done = client.post(
        reverse("admin_portal:apogee_apply"), {"sha256": sha256}, follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    shown = [str(m) for m in done.context["messages"]]
    assert shown == [
        "Import Apogée\u202f: 2 cohortes créées, 1 mise à jour, 0 inchangée, 1 successeur proposé."
    ]
    assert Cohort.objects.filter(instance=instance).count() == 3
    assert Cohort.objects.get(idnumber="L1CHIM231").label == "LICENCE 1 CHIMIE"


def test_the_import_page_shows_the_errors_of_a_refused_file_in_french(instance, client):
    client.force_login(UserFactory(roles=["admin"]))
    response = client.post(
        reverse("admin_portal:apogee_import"),
        {"instance": instance.pk, "file": _upload(b"code;version;libelle;annee\nL1;x;L;2025\n")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = response.content.decode()
    assert "ligne 2\u202f: la version &#x27;x&#x27; n\u2019est pas un nombre" in html
    assert not Cohort.objects.exists()


def test_a_workbook_is_refused_as_not_a_csv_without_echoing_its_bytes(instance, client):
    client.force_login(UserFactory(roles=["admin"]))
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4
    response = client.post(
        reverse("admin_portal:apogee_import"),
        {"instance": instance.pk, "file": _upload(workbook, "apogee.xlsx")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "this is an Excel workbook, not a CSV file" in html
    assert "header" not in html.split('data-testid="apogee-errors"')[1].split("</div>")[0]


def test_a_binary_file_is_refused_as_not_text():
    with pytest.raises(ApogeeFileRefused) as refused:
        apogee_parse(bytes(range(256)) * 8)
    assert [str(error) for error in refused.value.errors] == [
        "line 1: this is not a text (CSV) file; export Apogée's list as CSV"
    ]


def test_engineers_may_not_import(instance, client):
    client.force_login(UserFactory(roles=["engineer"]))
    response = client.get(reverse("admin_portal:apogee_import"))
    assert response.status_code == 403
