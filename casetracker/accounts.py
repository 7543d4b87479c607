"""Staff accounts: every account belongs to one of the app's roles."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from casetracker.roles import ROLES


@transaction.atomic
def create_staff_user(username, role, *, password, email=""):
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"A user named {username!r} already exists.")
    user = User(username=username, email=email, is_staff=True)
    try:
        user.full_clean(exclude=["password"])  # the username and email address as the admin's forms check them
    except ValidationError as error:
        raise ValueError(" ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()))
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def ensure_demo_accounts(password_file):
    """One account per role for local use; passwords generated once and kept in `password_file`."""
    User = get_user_model()
    known = {}
    if password_file.exists():
        for line in password_file.read_text().splitlines():
            username, _, password = line.partition(" ")
            known[username] = password
    accounts = []
    for username, role in ROLES.items():  # one local account per role, named after it
        password = known.get(username) or secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@localhost"}
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save()
        user.groups.set([Group.objects.get(name=role)])
        accounts.append((username, role, password))
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text("".join(f"{username} {password}\n" for username, _, password in accounts))
    password_file.chmod(0o600)
    return accounts
