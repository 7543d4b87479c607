"""Public pages are light on a slow connection: compressed, and under 60 KB as transferred."""

import gzip

import pytest

from tests.public_site import PAGES

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_compressed_and_under_60_kb(demo, client, path):
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code in (200, 404)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < LIMIT
    assert b"</html>" in gzip.decompress(response.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_html(demo, client):
    response = client.get("/prisoners/maria-kalesnikava/")
    assert not response.has_header("Content-Encoding")
    assert b"Maria Kalesnikava" in response.content


def test_the_exports_stream_compressed(demo, client):
    response = client.get("/prisoners.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).startswith("\ufeff".encode())
