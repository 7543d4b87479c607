"""Stored links: only web addresses (http, https) are accepted, and only they ever become links.

A javascript: or data: address in a public link would run in a reader's browser.
"""

import re

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy

MESSAGE = gettext_lazy("Enter a web address starting with http:// or https://.")
validate_web_address = URLValidator(schemes=["http", "https"], message=MESSAGE)

_WEB = re.compile(r"https?://", re.IGNORECASE)


class WebAddressField(models.URLField):
    """A URLField that accepts only web addresses (Django's also accepts ftp)."""

    default_validators = [validate_web_address]

    def formfield(self, **kwargs):
        # The form's own URL check runs first: it should say the same thing.
        return super().formfield(**{"error_messages": {"invalid": MESSAGE}, **kwargs})


def web_address(value):
    """`value` if it may be a link's href, else "": for addresses stored past validation (an
    import, the shell). It must begin with the scheme itself, since browsers skip leading
    spaces and drop tabs and newlines inside a scheme."""
    return value if isinstance(value, str) and _WEB.match(value) else ""
