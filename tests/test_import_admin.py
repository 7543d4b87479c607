"""Editors import a register in the admin: upload, preview (nothing written), confirm (all of it)."""

import datetime
import os

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from casetracker.roles import EDITOR
from prisoners.models import Prisoner
from registers.models import ImportRun
from tests.conftest import make_user
from tests.factories import PrisonerFactory
from tests.test_public_browser import CHROMIUM, CHROMIUM_ARGS, admin_page

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/registers/importrun/upload/"
FILE = "name,status,arrested,penalty\nAles Bialiatski,detained,14.07.2021,10 лет\nMarfa Rabkova,в сизо,2020,\n"


def upload(client, content, name="list.csv", kind="prisoners", **fields):
    return client.post(
        UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, content.encode()), "register": "Viasna", **fields}
    )


def test_upload_preview_then_confirm(today, editor, as_user):
    client = as_user(editor)
    response = upload(client, FILE)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/registers/importrun/{run.pk}/preview/"
    page = client.get(response["Location"]).content.decode()
    assert "2 to create. Nothing was written (dry run)." in page and "Import list.csv" in page
    assert not Prisoner.objects.exists()
    client.post(response["Location"])
    run.refresh_from_db()
    assert run.state == ImportRun.State.IMPORTED and Prisoner.objects.count() == 2
    ales = Prisoner.objects.get(name="Ales Bialiatski")
    assert (ales.history.get().history_user, ales.history.get().history_change_reason) == (editor, "import: list.csv")
    assert "2 to create. Imported." in client.get(response["Location"]).content.decode()
    client.post(response["Location"])  # confirming twice imports nothing more
    assert Prisoner.objects.count() == 2


def test_a_file_with_problems_is_refused_with_every_problem_listed(today, editor, as_user):
    client = as_user(editor)
    PrisonerFactory(name="Marfa Rabkova", born=datetime.date(1995, 1, 1), born_precision="year")
    broken = (
        "name,status,arrested,birthday\nAles Bialiatski,detained,14.07.21,\nMarfa Rabkova,,,1994\nSomeone,asleep,,\n"
    )
    response = upload(client, broken)
    page = client.get(response["Location"]).content.decode()
    assert "Problems: nothing can be imported until the file is fixed" in page
    assert "row 2, detained “14.07.21”" in page and "row 4, status “asleep”" in page
    assert "Probably on record as:" in page and "Marfa Rabkova</a>" in page
    assert 'value="Import list.csv"' not in page
    client.post(response["Location"])
    assert ImportRun.objects.get().state == ImportRun.State.REFUSED and Prisoner.objects.count() == 1


def test_only_editors_import(today, researcher, as_user):
    client = as_user(researcher)
    assert client.get(UPLOAD).status_code == 403
    assert "Import from a file" not in client.get("/admin/prisoners/prisoner/").content.decode()


def test_the_lists_link_to_the_import(today, editor, as_user):
    page = as_user(editor).get("/admin/prisoners/prisoner/").content.decode()
    assert f'href="{UPLOAD}?kind=prisoners"' in page


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_editor_imports_a_register_in_chromium(live_server, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import expect, sync_playwright

    editor = make_user("edna")
    editor.groups.add(Group.objects.get(name=EDITOR))
    register = tmp_path / "viasna.csv"
    register.write_text(FILE, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = admin_page(browser, live_server.url, "edna", f"{live_server.url}/admin/prisoners/prisoner/")
        page.get_by_role("link", name="Import from a file").click()
        page.get_by_label("File").set_input_files(str(register))
        page.get_by_label("Register").fill("Viasna")
        page.get_by_role("button", name="Preview the import").click()
        expect(page.locator(".import-state")).to_contain_text("2 to create. Nothing was written (dry run).")
        expect(page.locator("table.import-rows tbody tr")).to_have_count(2)
        page.get_by_role("button", name="Import viasna.csv").click()
        expect(page.locator(".import-state")).to_contain_text("Imported")
        browser.close()
    assert sorted(Prisoner.objects.values_list("name", flat=True)) == ["Ales Bialiatski", "Marfa Rabkova"]
