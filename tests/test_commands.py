"""Commands given bad arguments stop with a message; the account commands give the roles."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

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
