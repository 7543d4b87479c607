"""The name each language's pages show for a prisoner or a facility: "Марыя Калеснікава" on a Belarusian page,
"Мария Колесникова" on a Russian one, "Maria Kalesnikava" on an English one.

A researcher marks one name variant per language as the display name there (`NameVariantBase.display`; only a
public variant can be one). The choice is kept on the record (`display_names`, language -> name) by the
receivers below, in the same transaction as the variant's change, so a list of thousands reads no variants.
Where a language has none, its pages show the record's own name.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import translation

VARIANT_OF = {"namevariant": "prisoner", "facilitynamevariant": "facility"}


def shown_names(variants):
    """language -> name of the variants that may be shown as a display name."""
    if hasattr(variants.model, "public"):
        variants = variants.filter(public=True)  # an internal spelling is never a page's name
    return dict(variants.filter(display=True).order_by("pk").values_list("language", "name"))


def refresh(owner):
    """Store the display names of `owner` (a Prisoner or a Facility) as its variants now say."""
    names = shown_names(owner.name_variants.all())
    type(owner).objects.filter(pk=owner.pk).update(display_names=names)
    owner.display_names = names


def name_in_language(record, fallback):
    return record.display_names.get(translation.get_language()) or fallback


def current(record):
    """`display_names` as the record's variants say now: what a save of the record stores, so a copy loaded before
    a variant changed (made internal, say) never writes back a name its pages may no longer show."""
    return shown_names(record.name_variants.all()) if record.pk else {}


def _owners(sender, instance):
    owner_field = VARIANT_OF[sender._meta.model_name]
    return sender._meta.get_field(owner_field).related_model, f"{owner_field}_id"


def _variant_moving(sender, instance, raw=False, **kwargs):
    """A variant moved to another record leaves its old one: remembered, to refresh both."""
    _owner_model, owner_id = _owners(sender, instance)
    if instance.pk and not raw:
        instance._former_owner_id = sender._base_manager.filter(pk=instance.pk).values_list(owner_id, flat=True).first()


def _variant_changed(sender, instance, **kwargs):
    owner_model, owner_id = _owners(sender, instance)
    for pk in {getattr(instance, owner_id), getattr(instance, "_former_owner_id", None)} - {None}:
        owner = owner_model.objects.filter(pk=pk).first()
        if owner is not None:  # None: the owner is being deleted with its variants
            refresh(owner)


def connect():
    for model in VARIANT_OF:
        pre_save.connect(_variant_moving, sender=f"prisoners.{model}", dispatch_uid=f"display-names-moving-{model}")
        post_save.connect(_variant_changed, sender=f"prisoners.{model}", dispatch_uid=f"display-names-saved-{model}")
        post_delete.connect(_variant_changed, sender=f"prisoners.{model}", dispatch_uid=f"display-names-del-{model}")
