"""What a public page says of a record besides its content: its name in anchors.

It may not betray what the page does not show. Database ids count every record, internal ones
too (`#incident-1041` then `#incident-1047`: five hidden records in between), so public pages
name a record by its `public_id`, random and opaque.
"""

import base64
import secrets

from django.db import models

PUBLIC_ID_LENGTH = 12  # 60 random bits: a collision is not to be expected below billions of records


def new_public_id():
    return base64.b32encode(secrets.token_bytes(8)).decode("ascii")[:PUBLIC_ID_LENGTH].lower()


def public_id_field():
    return models.CharField(
        "public identifier",
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        editable=False,
        default=new_public_id,
        help_text="Names the record on public pages (anchors, the case JSON) instead of its database id, "
        "which would tell how many records, internal ones included, were made in between.",
    )
