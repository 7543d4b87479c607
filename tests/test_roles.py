"""Roles are created by migrate and enforced in the admin."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casetracker.roles import ALERT_STAFF, EDITOR, RESEARCHER, sync_roles
from events.models import Incident, Source, Visibility
from prisoners.models import Prisoner
from review.models import HeldChange
from tests.admin_forms import admin_form_data
from tests.factories import IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db


def perms(role):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_migrate_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {RESEARCHER, EDITOR, ALERT_STAFF}


def test_researchers_edit_but_neither_delete_nor_publish():
    researcher = perms(RESEARCHER)
    assert {"prisoners.add_prisoner", "prisoners.change_prisoner", "events.change_incident"} <= researcher
    assert "events.view_historicalincident" in researcher
    assert not {p for p in researcher if p.split(".")[1].startswith(("delete_", "publish_"))}
    assert "events.change_historicalincident" not in researcher  # no revert


def test_editors_also_publish_delete_and_revert():
    editor = perms(EDITOR)
    assert perms(RESEARCHER) <= editor
    assert {
        "prisoners.publish_prisoner",
        "events.publish_incident",
        "events.publish_source",
        "events.publish_contact",
        "prisoners.delete_prisoner",
        "events.change_historicalincident",
    } <= editor


def test_alert_staff_only_view_case_data_and_handle_alerts():
    alert_staff = perms(ALERT_STAFF)
    assert {"prisoners.view_prisoner", "alerts.view_alert", "alerts.change_alert", "alerts.add_channel"} <= alert_staff
    assert not {p for p in perms(RESEARCHER) if p.startswith("alerts.")}
    # Editors act on the alerts escalated to them like alert staff, and delete none but their own channels.
    alert_perms = {p for p in alert_staff if p.startswith("alerts.")}
    assert {p for p in perms(EDITOR) if p.startswith("alerts.")} == alert_perms
    assert {p for p in alert_perms if p.startswith(("alerts.add_", "alerts.delete_"))} == {
        "alerts.add_channel",
        "alerts.delete_channel",
    }
    assert not {p for p in alert_staff if p.startswith(("prisoners.", "events.")) and ".view_" not in p}


def test_syncing_again_changes_nothing():
    before = {role: perms(role) for role in (RESEARCHER, EDITOR, ALERT_STAFF)}
    sync_roles()
    assert {role: perms(role) for role in (RESEARCHER, EDITOR, ALERT_STAFF)} == before


PRISONER_FORM = {
    "name": "Ales Bialiatski",
    "bio": "",
    "status": "detained",
    "detained_precision": "day",
    "born_precision": "year",
    "died_precision": "day",
    "monitored": "on",
    "monitored_from_precision": "day",
    "published": "on",
    **{
        f"{prefix}-{key}": value
        for prefix in (
            "name_variants",
            "custody_periods",
            "charges",
            "sentences",
            "representations",
            "contacts",
            "incidents",
            "recognitions",
            "register_entries",
        )
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    },
}


def test_a_researchers_new_prisoner_stays_unpublished(researcher, as_user):
    response = as_user(researcher).post("/admin/prisoners/prisoner/add/", PRISONER_FORM)
    assert response.status_code == 302
    assert Prisoner.objects.get(name="Ales Bialiatski").published is False


def test_an_editor_can_publish_a_prisoner(editor, as_user):
    response = as_user(editor).post("/admin/prisoners/prisoner/add/", PRISONER_FORM)
    assert response.status_code == 302
    assert Prisoner.objects.get(name="Ales Bialiatski").published is True


def test_a_researcher_cannot_make_an_incident_public(researcher, as_user, today):
    incident = IncidentFactory(visibility=Visibility.INTERNAL, start=datetime.date(2023, 1, 1))
    client = as_user(researcher)
    page = client.get(f"/admin/events/incident/{incident.pk}/change/").content.decode()
    assert 'name="visibility"' not in page  # shown read-only
    response = client.post(
        f"/admin/events/incident/{incident.pk}/change/",
        {
            "prisoner": incident.prisoner.pk,
            "kind": incident.kind,
            "start": "2023-01-01",
            "start_precision": "day",
            "end_precision": "day",
            "description": "Edited",
            "verification": "credible",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.description, incident.visibility) == ("Edited", Visibility.INTERNAL)


def test_a_researcher_cannot_make_a_source_public(researcher, as_user):
    as_user(researcher).post(
        "/admin/events/source/add/", {"title": "Private channels", "kind": "private", "published_precision": "day"}
    )
    assert Source.objects.get(title="Private channels").confidential is True


def test_publish_actions_only_for_editors(researcher, editor, as_user, client):
    incident = IncidentFactory(visibility=Visibility.INTERNAL)
    data = {"action": "make_public", "_selected_action": [incident.pk]}
    as_user(researcher).post("/admin/events/incident/", data)
    incident.refresh_from_db()
    assert incident.visibility == Visibility.INTERNAL
    as_user(editor).post("/admin/events/incident/", data)
    incident.refresh_from_db()
    assert incident.visibility == Visibility.PUBLIC
    assert incident.history.first().history_user.username == "edna"


def test_only_editors_delete(researcher, editor, as_user):
    prisoner = PrisonerFactory()
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/delete/"
    assert as_user(researcher).post(url, {"post": "yes"}).status_code == 403
    assert Prisoner.objects.filter(pk=prisoner.pk).exists()
    assert as_user(editor).post(url, {"post": "yes"}).status_code == 302
    assert not Prisoner.objects.filter(pk=prisoner.pk).exists()


def test_alert_staff_see_but_do_not_change_case_data(alert_staff, as_user):
    prisoner = PrisonerFactory()
    client = as_user(alert_staff)
    assert client.get("/admin/prisoners/prisoner/").status_code == 200
    assert client.get("/admin/prisoners/prisoner/add/").status_code == 403
    response = client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", {**PRISONER_FORM, "name": "X"})
    assert response.status_code == 403
    assert Incident.objects.count() == 0 and Prisoner.objects.get().name == prisoner.name


def png():
    image = io.BytesIO()
    Image.new("RGB", (2, 2)).save(image, "PNG")
    return image.getvalue()


PNG = png()


def test_a_photo_a_researcher_replaces_waits_for_an_editor_to_clear_it(researcher, editor, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    prisoner = PrisonerFactory(name="Photo Person", published=True, photo_public=True)
    prisoner.photo.save("cleared.png", ContentFile(PNG))
    client = as_user(researcher)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    data.pop("photo", None)
    data["photo"] = SimpleUploadedFile("new.png", PNG, content_type="image/png")
    response = client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    prisoner.refresh_from_db()
    assert "cleared" in prisoner.photo.name and prisoner.photo_public  # the public page changes: held for an editor
    held = HeldChange.objects.get()
    as_user(editor).post(f"/admin/review/heldchange/{held.pk}/approve/")
    prisoner.refresh_from_db()
    assert prisoner.photo.name.endswith(".png") and "cleared" not in prisoner.photo.name
    assert prisoner.photo_public is False
    assert as_user(researcher).get(f"/prisoners/{prisoner.slug}/photo").status_code == 404
