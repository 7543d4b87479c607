"""Failed admin logins are rate-limited (django-axes)."""

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def login(client, password, address="203.0.113.5"):
    return client.post("/admin/login/?next=/admin/", {"username": "edna", "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_out_that_user_from_that_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_user("edna")
    for _ in range(4):
        assert login(client, "wrong").status_code == 200  # the form again, with an error
    assert login(client, "wrong").status_code == 429
    assert login(client, "correct horse battery").status_code == 429  # even the right password, for now
    assert login(client, "correct horse battery", address="198.51.100.7").status_code == 302  # not others


def test_a_success_resets_the_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("edna")
    login(client, "wrong")
    login(client, "wrong")
    assert login(client, "correct horse battery").status_code == 302
    client.logout()
    login(client, "wrong")
    assert login(client, "wrong").status_code == 200
