"""What state a prisoner is in, and which states count as custody.

Real registers record far more than "detained" and "released": measures of restraint and
sentences short of prison (house arrest, restricted freedom, forced labour without internment,
parole, fines …), deaths. Only custody makes a contact lapse matter: the lapse, the alerts,
"held at" and "days in detention" all ask `IN_CUSTODY`, never a status of their own choosing.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    # Labels in the context "status": a state, not an act ("released" is "at liberty", not "set free").
    # In custody.
    DETAINED = "detained", pgettext_lazy("status", "detained")
    PRE_TRIAL = "pre_trial", pgettext_lazy("status", "in pre-trial detention")
    # Restrictions short of custody.
    HOUSE_ARREST = "house_arrest", pgettext_lazy("status", "under house arrest")
    RESTRICTED_FREEDOM = "restricted_freedom", pgettext_lazy("status", "restricted freedom (open-type facility)")
    FORCED_LABOUR = "forced_labour", pgettext_lazy("status", "forced labour without internment")
    PENDING_TRIAL = "pending_trial", pgettext_lazy("status", "awaiting trial at liberty")
    SUSPENDED = "suspended", pgettext_lazy("status", "suspended sentence")
    FINED = "fined", pgettext_lazy("status", "fined")
    PAROLE = "parole", pgettext_lazy("status", "released on parole")
    MEDICAL_RELEASE = "medical_release", pgettext_lazy("status", "released on medical grounds")
    # No longer restricted, or beyond reach.
    RELEASED = "released", pgettext_lazy("status", "released")
    EXILE = "exile", pgettext_lazy("status", "in exile")
    DECEASED = "deceased", pgettext_lazy("status", "deceased")
    UNKNOWN = "unknown", pgettext_lazy("status", "unknown")


IN_CUSTODY = frozenset({Status.DETAINED, Status.PRE_TRIAL})


def in_custody_condition(prefix=""):
    """The filter for prisoners in custody (`prefix` e.g. "prisoner__" from a related model)."""
    return models.Q(**{f"{prefix}status__in": sorted(IN_CUSTODY)})
