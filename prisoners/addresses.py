"""A prisoner's public address (the slug in /prisoners/<slug>/) never derives from a name the public may not see.

A new record's slug is made from its display name, the one name that is always public, followed by a random code:
"maria-kalesnikava-7k2m". Always, not only on a clash: a code (or a counter, "-2") added only when the name is taken
would tell the public that another record, perhaps unpublished, has or had that name.

A published prisoner's slug may hold only words of the display name, the word "case", and codes of up to four letters
and digits with a digit in them ("7k2m", "2": too short to spell a name, and no name has digits). So a record entered
under a real name and shown as "Name withheld" cannot be published, nor a published one renamed, while its slug still
spells the real name. Editors change a slug in the admin; a slug the public saw redirects to the new one
(`PreviousSlug`), a slug it never saw stays unknown (404).
"""

import secrets

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

from casetracker.text import fold

MAX_LENGTH = 80
CODE_LENGTH = 4
CODE_CHARACTERS = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o or 1/l/i to misread when a link is typed
NEUTRAL = "case"  # the first word of a slug with no word of the name: case-7k2m

validate_format = RegexValidator(
    r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z",
    gettext_lazy("Use lower-case letters a–z and digits, words joined by single hyphens (maria-kalesnikava-7k2m)."),
    code="address_format",
)

# Translators: “case” and the example addresses are the address's own words: keep them as they are.
RULE = gettext_lazy(
    "A published case's address may hold only words of its display name, “case”, and codes of up to four "
    "letters and digits with a digit in them (maria-kalesnikava-7k2m, case-7k2m)."
)


def code():
    """A random four-character code with at least one digit, so it is never mistaken for a word of a name."""
    while True:
        made = "".join(secrets.choice(CODE_CHARACTERS) for _ in range(CODE_LENGTH))
        if any(char.isdigit() for char in made):
            return made


def new_slug(name):
    """A slug for a record shown as `name`: its words (as many whole words as fit) and a random code."""
    base = ""
    for word in fold(name).split():
        longer = f"{base}-{word}" if base else word
        if len(longer) > MAX_LENGTH - CODE_LENGTH - 1:
            break
        base = longer
    return f"{base or NEUTRAL}-{code()}"


def _neutral(word):
    return word == NEUTRAL or word.isdigit() or (len(word) <= CODE_LENGTH and any(c.isdigit() for c in word))


def words_not_in_name(slug, name):
    """The words of `slug` that may not stand in the public address of a record shown as `name`."""
    allowed = set(fold(name).split())
    return [word for word in slug.split("-") if word and word not in allowed and not _neutral(word)]


def published_against_the_rule(prisoners):
    """(prisoner, words) for each published prisoner of `prisoners` whose slug breaks the rule: slugs made
    before it, which no edit has touched since (the rule is checked when a case is published or renamed)."""
    for prisoner in prisoners.filter(published=True).only("pk", "slug", "name").order_by("pk").iterator():
        if words := words_not_in_name(prisoner.slug, prisoner.name):
            yield prisoner, words
