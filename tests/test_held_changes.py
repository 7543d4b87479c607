"""A researcher's change to what the public sees is held for an editor: invisible (to the public and in the
record) until approved; approving publishes exactly it; returning it keeps it off the record."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Incident, Visibility
from prisoners.models import CustodyPeriod, Prisoner
from review.models import HeldChange, State
from tests.admin_forms import add_inline_row, admin_form_data
from tests.conftest import make_user
from tests.factories import (
    CustodyPeriodFactory,
    FacilityFactory,
    FacilityNameVariantFactory,
    IncidentFactory,
    LawyerFactory,
    PrisonerFactory,
    RepresentationFactory,
    SourceFactory,
)
from tests.test_roles import PNG

pytestmark = pytest.mark.django_db


def change_url(record):
    opts = record._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"


def submit(client, record, **changes):
    data = admin_form_data(client.get(change_url(record)))
    data.update(changes)
    return client.post(change_url(record), data)


def approve(client, held, comment=""):
    return client.post(f"/admin/review/heldchange/{held.pk}/approve/", {"comment": comment})


@pytest.fixture
def published(today):
    return PrisonerFactory(name="Ihar Losik", slug="ihar-losik", bio="Blogger.")


def test_a_researchers_edit_of_a_published_case_waits_for_an_editor_and_approving_publishes_exactly_it(
    published, researcher, editor, client, as_user
):
    history_before = published.history.count()
    response = submit(as_user(researcher), published, bio="Blogger and journalist.")

    assert response.status_code == 302 and response.url == change_url(published)
    published.refresh_from_db()
    assert published.bio == "Blogger."  # nothing changed on the record …
    assert published.history.count() == history_before  # … nor in its history
    client.logout()
    assert "Blogger and journalist." not in client.get(published.get_absolute_url()).content.decode()
    held = HeldChange.objects.get()
    assert (held.state, held.author, held.record, list(held.cases.all())) == (
        State.PENDING,
        researcher,
        "Ihar Losik",
        [published],
    )
    assert held.changes == [
        {"record": "Ihar Losik", "field": "Short public bio", "was": "Blogger.", "now": "Blogger and journalist."}
    ]
    page = as_user(researcher).get(change_url(published)).content.decode()
    assert "waiting for an editor" in page  # the researcher is told, on the record itself

    assert approve(as_user(editor), held).status_code == 302
    published.refresh_from_db()
    assert published.bio == "Blogger and journalist."
    latest = published.history.first()
    assert (latest.history_user, latest.history_change_reason) == (researcher, "approved by edna")
    held.refresh_from_db()
    assert (held.state, held.decided_by) == (State.APPROVED, editor)
    client.logout()
    assert "Blogger and journalist." in client.get(published.get_absolute_url()).content.decode()


def test_returning_a_held_change_keeps_it_off_the_record_and_tells_the_researcher_why(
    published, researcher, editor, as_user
):
    submit(as_user(researcher), published, bio="Rumour.")
    held = HeldChange.objects.get()
    refused = as_user(editor).post(f"/admin/review/heldchange/{held.pk}/return/", {"comment": ""})
    assert refused.status_code == 302 and HeldChange.objects.get().state == State.PENDING  # a return says why

    as_user(editor).post(f"/admin/review/heldchange/{held.pk}/return/", {"comment": "Two sources, please."})
    held.refresh_from_db()
    published.refresh_from_db()
    assert (held.state, held.comment, published.bio) == (State.RETURNED, "Two sources, please.", "Blogger.")
    page = as_user(researcher).get(f"/admin/review/heldchange/{held.pk}/change/").content.decode()
    assert "Two sources, please." in page
    assert approve(as_user(editor), held).status_code == 302  # decided once: a later approval does nothing
    published.refresh_from_db()
    assert published.bio == "Blogger."


def test_what_the_public_does_not_see_is_saved_at_once(published, researcher, as_user, today):
    unpublished = PrisonerFactory(published=False, bio="Draft.")
    internal = IncidentFactory(prisoner=published, visibility=Visibility.INTERNAL, description="Rumour.")
    client = as_user(researcher)

    assert submit(client, unpublished, bio="Draft, checked.").status_code == 302
    assert submit(client, internal, description="Rumour, unconfirmed.").status_code == 302
    assert submit(client, published, notes_field_absent="x").status_code == 302  # no change at all

    unpublished.refresh_from_db()
    internal.refresh_from_db()
    assert (unpublished.bio, internal.description) == ("Draft, checked.", "Rumour, unconfirmed.")
    assert not HeldChange.objects.exists()


def test_editors_changes_are_never_held(published, editor, as_user):
    submit(as_user(editor), published, bio="Blogger, editor's word.")
    published.refresh_from_db()
    assert published.bio == "Blogger, editor's word." and not HeldChange.objects.exists()


def test_repointing_a_public_incident_at_a_published_case_is_held(published, researcher, as_user):
    draft = PrisonerFactory(published=False)
    incident = IncidentFactory(prisoner=draft, description="Beaten in custody.")
    submit(as_user(researcher), incident, prisoner=str(published.pk))
    incident.refresh_from_db()
    assert incident.prisoner == draft
    held = HeldChange.objects.get()
    assert list(held.cases.all()) == [published]
    assert {"field": "Prisoner", "was": str(draft), "now": "Ihar Losik"}.items() <= held.changes[0].items()


def test_a_custody_period_added_on_a_published_case_is_held_with_what_it_adds(published, researcher, editor, as_user):
    colony = FacilityFactory(name="Penal colony No. 1", city="Navapolatsk")
    client = as_user(researcher)
    data = admin_form_data(client.get(change_url(published)))
    add_inline_row(
        data,
        "custody_periods",
        {"facility": str(colony.pk), "start": "2021-12-03", "start_precision": "day", "end_precision": "day"},
    )
    assert client.post(change_url(published), data).status_code == 302
    assert not CustodyPeriod.objects.exists()
    held = HeldChange.objects.get()
    added = {change["field"]: change["now"] for change in held.changes}
    assert added["Facility"] == str(colony) and added["From"] == "3 December 2021"

    approve(as_user(editor), held)
    period = CustodyPeriod.objects.get()
    assert (period.facility, period.start) == (colony, datetime.date(2021, 12, 3))
    assert period.history.get().history_user == researcher


def test_a_held_change_over_a_record_changed_since_is_refused_on_approval(published, researcher, editor, as_user):
    submit(as_user(researcher), published, bio="Researcher's version.")
    submit(as_user(editor), published, bio="Editor's later version.")
    held = HeldChange.objects.get()

    approve(as_user(editor), held)
    published.refresh_from_db()
    held.refresh_from_db()
    assert published.bio == "Editor's later version."  # the later word is never silently overwritten
    assert held.state == State.PENDING  # still there, to return
    page = as_user(editor).get(f"/admin/review/heldchange/{held.pk}/change/", follow=True).content.decode()
    assert "Not approved" in page or held.state == State.PENDING


def test_only_editors_decide_and_researchers_see_only_their_own(published, researcher, editor, as_user):
    other = make_user("ravi", "Researcher")
    submit(as_user(researcher), published, bio="Rita's word.")
    held = HeldChange.objects.get()

    assert approve(as_user(other), held).status_code == 403
    assert as_user(other).get(f"/admin/review/heldchange/{held.pk}/change/").status_code == 302  # not theirs
    assert as_user(researcher).get(f"/admin/review/heldchange/{held.pk}/change/").status_code == 200
    assert HeldChange.objects.get().state == State.PENDING
    assert as_user(researcher).get(f"/admin/review/heldchange/{held.pk}/approve/").status_code == 405


def test_the_review_page_lists_held_changes_with_their_diff_and_what_others_changed(
    published, researcher, editor, as_user
):
    draft = PrisonerFactory(name="Draft Case", published=False)
    client = as_user(researcher)
    submit(client, published, bio="Blogger and journalist.")
    submit(client, draft, bio="New facts.")

    queue = as_user(editor).get("/admin/review/heldchange/", follow=True).content.decode()
    assert "Ihar Losik" in queue and "Short public bio" in queue
    assert "Draft Case" in queue and "rita (1)" in queue  # saved at once, listed as changed since the last review
    held = HeldChange.objects.get()
    detail = as_user(editor).get(f"/admin/review/heldchange/{held.pk}/change/").content.decode()
    assert "Blogger." in detail and "Blogger and journalist." in detail

    as_user(editor).post("/admin/review/heldchange/reviewed/")
    queue = as_user(editor).get("/admin/review/heldchange/", follow=True).content.decode()
    assert "Draft Case" not in queue


def test_held_changes_are_recorded_on_the_content_type_of_the_record(published, researcher, as_user):
    incident = IncidentFactory(prisoner=published, description="Placed in a punishment cell.")
    submit(as_user(researcher), incident, description="Placed in a punishment cell for 10 days.")
    held = HeldChange.objects.get()
    assert (held.content_type, held.object_id) == (ContentType.objects.get_for_model(Incident), str(incident.pk))
    assert Incident.objects.get().description == "Placed in a punishment cell."
    assert Prisoner.objects.get(pk=published.pk).public_changed == published.public_changed


def test_a_record_added_to_a_published_case_on_its_own_page_is_held_and_created_on_approval(
    published, researcher, editor, as_user
):
    client = as_user(researcher)
    data = {**admin_form_data(client.get("/admin/prisoners/charge/add/")), "prisoner": str(published.pk)}
    data.update(article="Art. 361-1", label="Creating an extremist group")
    response = client.post("/admin/prisoners/charge/add/", data)

    assert response.status_code == 302 and response.url == "/admin/prisoners/charge/"
    assert not published.charges.exists()
    held = HeldChange.objects.get()
    assert held.adds and held.record.startswith("new charge")
    approve(as_user(editor), held)
    charge = published.charges.get()
    assert (charge.article, charge.history.get().history_user) == ("Art. 361-1", researcher)


def test_the_admin_index_says_how_many_wait(published, researcher, editor, as_user):
    assert "held-changes-waiting" not in as_user(editor).get("/admin/").content.decode()
    submit(as_user(researcher), published, bio="Blogger and journalist.")
    assert "1 held change to public records waits for your review" in as_user(editor).get("/admin/").content.decode()
    assert "1 change of yours waits for an editor" in as_user(researcher).get("/admin/").content.decode()


def test_shared_records_the_public_sees_are_held_and_the_others_saved(published, researcher, editor, as_user):
    named = FacilityFactory(name="Penal colony No. 4", postal_address="Sovetskaya 1")
    CustodyPeriodFactory(prisoner=published, facility=named, start=datetime.date(2021, 1, 1))
    unnamed = FacilityFactory(name="Temporary detention centre", postal_address="")
    public_source = SourceFactory(title="Viasna report", confidential=False)
    confidential_source = SourceFactory(title="Cellmate", confidential=True)
    lawyer = LawyerFactory(name="Ales Lawyer")
    RepresentationFactory(prisoner=published, lawyer=lawyer)
    named.refresh_from_db()
    assert named.named_publicly and not unnamed.named_publicly
    client = as_user(researcher)

    submit(client, named, postal_address="Sovetskaya 2")
    submit(client, public_source, title="Viasna report (corrected)")
    submit(client, lawyer, name="Ales Lawyer-Renamed")
    submit(client, unnamed, postal_address="Lenina 5")
    submit(client, confidential_source, title="Cellmate, 2023")

    held = {change.record: change for change in HeldChange.objects.all()}
    assert set(held) == {str(named), "Viasna report", "Ales Lawyer"}
    assert all(change.cases.count() == 0 for change in held.values())
    for record in (named, public_source, lawyer, unnamed, confidential_source):
        record.refresh_from_db()
    assert (named.postal_address, public_source.title, lawyer.name) == ("Sovetskaya 1", "Viasna report", "Ales Lawyer")
    assert (unnamed.postal_address, confidential_source.title) == ("Lenina 5", "Cellmate, 2023")

    approve(as_user(editor), held[str(named)])
    named.refresh_from_db()
    assert named.postal_address == "Sovetskaya 2"


def test_a_new_name_for_a_facility_named_publicly_is_held(published, researcher, editor, as_user):
    named = FacilityFactory(name="Penal colony No. 4")
    CustodyPeriodFactory(prisoner=published, facility=named, start=datetime.date(2021, 1, 1))
    variant = FacilityNameVariantFactory(facility=named, name="IK-4")
    client = as_user(researcher)
    data = admin_form_data(client.get(change_url(named)))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS") and "variant" in key).removesuffix("-TOTAL_FORMS")
    add_inline_row(data, prefix, {"name": "Gomel colony No. 4", "language": "", "note": ""})
    client.post(change_url(named), data)
    submit(client, variant, name="ИК-4")

    assert list(named.name_variants.values_list("name", flat=True)) == ["IK-4"]
    assert HeldChange.objects.count() == 2


def test_a_held_change_is_applied_only_with_the_rights_it_was_made_with(published, researcher, editor, as_user):
    submit(as_user(researcher), published, bio="Blogger and journalist.")
    researcher.groups.add(Group.objects.get(name="Editor"))  # promoted: the form would now carry "published" too

    response = approve(as_user(editor), HeldChange.objects.get())
    published.refresh_from_db()
    assert (published.bio, published.published) == ("Blogger.", True)
    assert HeldChange.objects.get().state == State.PENDING
    assert "permissions changed" in " ".join(m.message for m in response.wsgi_request._messages)


def test_a_held_date_reads_as_written_and_a_large_photo_leaves_no_stray_file(
    published, researcher, editor, as_user, settings, tmp_path
):
    settings.MEDIA_ROOT, settings.FILE_UPLOAD_MAX_MEMORY_SIZE = tmp_path, 10  # every upload a temporary file
    client = as_user(researcher)
    data = admin_form_data(client.get(change_url(published)))
    data.update(detained="late August 2020", photo=SimpleUploadedFile("new.png", PNG, content_type="image/png"))
    assert client.post(change_url(published), data).status_code == 302

    held = HeldChange.objects.get()
    assert {"field": "Date detained", "was": "1 September 2020", "now": "late August 2020"}.items() <= next(
        change for change in held.changes if change["field"] == "Date detained"
    ).items()
    assert not (tmp_path / "photos").exists() or not any((tmp_path / "photos").iterdir())  # the rolled-back save's
    approve(as_user(editor), held)
    published.refresh_from_db()
    assert published.photo.name.startswith("photos/") and str(published.detained_approx) == "late August 2020"
    assert not any(path.is_file() for path in (tmp_path / "held").rglob("*"))  # the held copy went with the decision
