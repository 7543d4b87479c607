"""What state a prisoner is in, and which states count as custody.

Only custody makes a contact lapse matter: the lapse, the alerts, "held at" and
"days in detention" all ask `IN_CUSTODY`, never a status of their own choosing.
"""

from django.db import models


class Status(models.TextChoices):
    DETAINED = "detained", "detained"
    RELEASED = "released", "released"
    EXILE = "exile", "in exile"
    DECEASED = "deceased", "deceased"
    UNKNOWN = "unknown", "unknown"


IN_CUSTODY = frozenset({Status.DETAINED})


def in_custody_condition(prefix=""):
    """The filter for prisoners in custody (`prefix` e.g. "prisoner__" from a related model)."""
    return models.Q(**{f"{prefix}status__in": sorted(IN_CUSTODY)})
