"""Staff see a case's public page as it would look published, clearly marked, never cached or indexed, while the
public still sees nothing of it."""

import pytest

from events.models import Visibility
from prisoners.models import Prisoner
from tests.factories import IncidentFactory, NameVariantFactory, PrisonerFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(today):
    prisoner = PrisonerFactory(
        name="Draft Person", slug="draft-person", bio="Detained after the protest.", published=False
    )
    IncidentFactory(prisoner=prisoner, description="Placed in a punishment cell for 10 days.")
    IncidentFactory(prisoner=prisoner, description="Internal rumour.", visibility=Visibility.INTERNAL)
    IncidentFactory(
        prisoner=prisoner, description="From a cellmate.", sources=[SourceFactory(title="Private", confidential=True)]
    )
    NameVariantFactory(prisoner=prisoner, name="Secretname Legalova", public=False)
    return prisoner


def test_staff_preview_an_unpublished_case_as_the_public_would_see_it(draft, researcher, as_user, client):
    before = Prisoner.objects.values("published", "public_changed").get(pk=draft.pk)
    response = as_user(researcher).get(f"/preview/{draft.pk}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Preview for staff, not a public page." in page and "(it is not published)" in page
    assert "Detained after the protest." in page and "Placed in a punishment cell for 10 days." in page
    for internal in ("Internal rumour.", "Secretname Legalova", "Private"):
        assert internal not in page  # the public page's own rules: only what publishing would show
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]

    assert Prisoner.objects.values("published", "public_changed").get(pk=draft.pk) == before  # never published
    assert draft.history.count() == 1
    client.logout()
    assert client.get("/prisoners/draft-person/").status_code == 404


def test_the_public_cannot_open_a_preview(draft, client):
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert client.get("/robots.txt").content.decode().count("Disallow: /preview/") == 1


def test_view_on_site_of_an_unpublished_case_opens_its_preview(draft, researcher, as_user):
    page = as_user(researcher).get(f"/admin/prisoners/prisoner/{draft.pk}/change/").content.decode()
    assert f'href="/preview/{draft.pk}/"' in page
    published = PrisonerFactory(name="Out There", slug="out-there")
    page = as_user(researcher).get(f"/admin/prisoners/prisoner/{published.pk}/change/").content.decode()
    assert 'href="/prisoners/out-there/"' in page


def test_a_preview_of_a_missing_case_is_a_404(researcher, as_user):
    assert as_user(researcher).get("/preview/999999/").status_code == 404
