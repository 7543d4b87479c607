"""What state a prisoner is in, and which states count as custody.

Real registers record far more than "detained" and "released": measures of restraint and
sentences short of prison (house arrest, restricted freedom, forced labour without internment,
parole, fines …), deaths. Only custody makes a contact lapse matter: the lapse, the alerts,
"held at" and "days in detention" all ask `IN_CUSTODY`, never a status of their own choosing.
"""

from django.db import models


class Status(models.TextChoices):
    # In custody.
    DETAINED = "detained", "detained"
    PRE_TRIAL = "pre_trial", "in pre-trial detention"
    # Restrictions short of custody.
    HOUSE_ARREST = "house_arrest", "under house arrest"
    RESTRICTED_FREEDOM = "restricted_freedom", "restricted freedom (open-type facility)"
    FORCED_LABOUR = "forced_labour", "forced labour without internment"
    PENDING_TRIAL = "pending_trial", "awaiting trial at liberty"
    SUSPENDED = "suspended", "suspended sentence"
    FINED = "fined", "fined"
    PAROLE = "parole", "released on parole"
    MEDICAL_RELEASE = "medical_release", "released on medical grounds"
    # No longer restricted, or beyond reach.
    RELEASED = "released", "released"
    EXILE = "exile", "in exile"
    DECEASED = "deceased", "deceased"
    UNKNOWN = "unknown", "unknown"


IN_CUSTODY = frozenset({Status.DETAINED, Status.PRE_TRIAL})


def in_custody_condition(prefix=""):
    """The filter for prisoners in custody (`prefix` e.g. "prisoner__" from a related model)."""
    return models.Q(**{f"{prefix}status__in": sorted(IN_CUSTODY)})
