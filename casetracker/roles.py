"""The app's roles, created and kept in sync by `migrate`: never by hand.

Researcher: view, add and change case data and see its history; cannot delete,
publish a prisoner, make an incident, contact or source public, or revert.
Editor: everything a researcher can, plus publish, delete, revert history and import register files.
Alert staff: view case data; view, acknowledge and assign alerts; receive alert notices; keep their own
notice channels.
Editors also act on alerts like alert staff, and receive the escalation of alerts nobody has taken on.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

RESEARCHER = "Researcher"
EDITOR = "Editor"
ALERT_STAFF = "Alert staff"

# The short names commands and demo accounts use for each role.
ROLES = {"editor": EDITOR, "researcher": RESEARCHER, "alerts": ALERT_STAFF}

ALERT_APPS = ("alerts",)
CHANNEL_PERMISSIONS = [f"alerts.{action}_channel" for action in ("add", "delete")]  # view and change: ALERT_APPS
# Researchers read their own held changes (and why one came back); editors decide them (casetracker.held_changes).
REVIEW_VIEW_PERMISSIONS = ["review.view_heldchange"]
REVIEW_PERMISSIONS = ["review.view_heldchange", "review.change_heldchange"]
IMPORT_PERMISSIONS = ["registers.run_import", "registers.view_importrun", "registers.add_importrun"]
PUBLISH_PERMISSIONS = [
    "prisoners.publish_prisoner",
    "events.publish_incident",
    "events.publish_contact",
    "events.publish_source",
]


def _models(app_labels, historical):
    for label in app_labels:
        if not global_apps.is_installed(label):
            continue
        for model in global_apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical") == historical:
                yield model


def _perms(app_labels, actions, historical=False):
    return [
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in _models(app_labels, historical)
        for action in actions
    ]


def role_permissions():
    """Role name -> permission names ("app_label.codename")."""
    case_apps = settings.CASE_APPS
    researcher = (
        _perms(case_apps, ["view", "add", "change"])
        + _perms(case_apps, ["view"], historical=True)
        + REVIEW_VIEW_PERMISSIONS
    )
    return {
        RESEARCHER: researcher,
        EDITOR: _perms(case_apps, ["view", "add", "change", "delete"])
        + _perms(case_apps, ["view", "change"], historical=True)
        + PUBLISH_PERMISSIONS
        + REVIEW_PERMISSIONS
        + IMPORT_PERMISSIONS
        + _perms(ALERT_APPS, ["view", "change"])
        + CHANNEL_PERMISSIONS,
        ALERT_STAFF: _perms(case_apps, ["view"]) + _perms(ALERT_APPS, ["view", "change"]) + CHANNEL_PERMISSIONS,
    }


def sync_roles(using="default"):
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    available = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([available[name] for name in names])


def sync_roles_after_migrate(using="default", **kwargs):
    sync_roles(using=using)
