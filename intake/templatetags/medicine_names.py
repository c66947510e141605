from django import template
from django.utils.html import format_html

from intake.journey import generic_names

register = template.Library()


@register.filter
def product_name(product):
    """A product's name in the page's language: a brand (and an English page) marked English."""
    text, language = generic_names.product_name(product)
    if language == "en":
        return format_html('<span lang="en">{}</span>', text)
    return text


@register.filter
def generic_name(generic):
    """A product's generic name in the page's language; in English (so marked) if unknown."""
    text, language = generic_names.shown(generic)
    if language == "en":
        return format_html('<span lang="en">{}</span>', text)
    return text
