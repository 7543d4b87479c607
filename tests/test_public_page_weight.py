"""Public pages are light on a slow connection: compressed, and under 60 KB as transferred."""

import gzip

import pytest

from tests.public_site import PAGES

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024
CASE = "/prisoners/maria-kalesnikava/"


@pytest.mark.parametrize("path", [path for path in PAGES if path != "/nowhere/"])
def test_every_page_is_compressed_and_under_60_kb(demo, client, path):
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < LIMIT
    assert b"</html>" in gzip.decompress(response.content)


def test_the_not_found_page_is_small_enough_to_send_as_it_is(demo, client):
    response = client.get("/nowhere/", HTTP_ACCEPT_ENCODING="gzip")  # Django's 404 handler, not a public() view
    assert response.status_code == 404 and len(response.content) < 8 * 1024


def test_a_client_that_does_not_accept_gzip_gets_plain_html_from_the_cache_too(demo, client):
    assert client.get(CASE, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"  # rendered and cached
    response = client.get(CASE)
    assert not response.has_header("Content-Encoding")
    assert b"Maria Kalesnikava" in response.content


def test_the_admin_is_never_compressed(editor, client):
    client.force_login(editor)
    response = client.get("/admin/prisoners/prisoner/?q=Kalesnikava", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")  # BREACH


def test_the_exports_stream_compressed(demo, client):
    response = client.get("/prisoners.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).startswith("\ufeff".encode())
