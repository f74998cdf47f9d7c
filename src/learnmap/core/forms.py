"""How every form on the site renders: our field markup, so one stylesheet fits them all."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's renderer with Learnmap's form and field templates (``core/forms/``).

    Each field is a ``div.field`` holding its label, help text, errors and widget; a
    checkbox comes before its label, as people expect.
    """

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"
