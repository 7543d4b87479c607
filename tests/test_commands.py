"""Commands given bad arguments stop with a message; the account commands give the roles."""

import datetime
import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.models import Delivery, Digest
from casetracker.roles import EDITOR


def test_unknown_arguments_are_refused():
    with pytest.raises(CommandError, match="unrecognized arguments: --everything"):
        call_command("load_demo", "--everything")


def test_create_staff_user_rejects_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice: 'king'"):
        call_command("create_staff_user", "ann", "--role", "king")


@pytest.mark.django_db
def test_create_staff_user_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too common"):
        call_command("create_staff_user", "ann", "--role", "editor", "--password-stdin")
    assert not get_user_model().objects.filter(username="ann").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, email, refused",
    [("", "ann@example.org", "username: This field cannot be blank."), ("ann", "not-an-email", "email: Enter a valid")],
)
def test_create_staff_user_checks_the_username_and_email_as_the_forms_do(monkeypatch, username, email, refused):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long and unusual passphrase\n"))
    with pytest.raises(CommandError, match=refused):
        call_command("create_staff_user", username, "--role", "alerts", "--password-stdin", "--email", email)
    assert not get_user_model().objects.exists()  # never an alert recipient at a bad address


@pytest.mark.django_db
def test_send_alerts_now_flushes_mail_waiting_out_its_back_off(smtp_server, clock):
    digest = Digest.objects.create(subject="Contact alerts", body_text="…", body_html="…")
    Delivery.objects.create(digest=digest, email="alex@example.org", attempts=5,
                            next_attempt_at=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    assert out.getvalue() == "0 notices sent.\n" and not smtp_server.messages  # still waiting
    call_command("send_alerts", "--now", stdout=out)
    assert out.getvalue().endswith("1 notice sent.\n") and len(smtp_server.messages) == 1
    assert Delivery.objects.get().sent_at == timezone.now()


@pytest.mark.django_db
def test_create_staff_user_gives_the_role(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long and unusual passphrase\n"))
    call_command("create_staff_user", "ann", "--role", "editor", "--password-stdin", "--email", "ann@example.org")
    user = get_user_model().objects.get(username="ann")
    assert user.is_staff and not user.is_superuser and list(user.groups.values_list("name", flat=True)) == [EDITOR]


@pytest.mark.django_db
def test_demo_accounts_keep_their_passwords(settings, tmp_path):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    call_command("demo_accounts", stdout=open(os.devnull, "w"))
    first = (tmp_path / "demo-accounts.txt").read_text()
    call_command("demo_accounts", stdout=open(os.devnull, "w"))
    assert (tmp_path / "demo-accounts.txt").read_text() == first
    username, password = first.splitlines()[0].split()
    assert get_user_model().objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_demo_accounts_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("demo_accounts")
