"""Every form sent by POST carries a one-time token beside its CSRF token, so that sending
it twice does it once (``emslirp.idempotency``, STYLE 13).

This library is a builtin of the project's templates and its ``{% csrf_token %}`` takes
the place of Django's: it renders Django's CSRF field, then the form's token. Every POST
form already has ``{% csrf_token %}`` (crispy-forms renders it for its forms too), so no
form can be left without a token by forgetting it."""

import uuid

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from emslirp.idempotency import FIELD

register = template.Library()


class CsrfAndFormTokenNode(CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:
            return csrf  # no CSRF token in the context: not a form that is sent
        return csrf + format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


@register.tag
def csrf_token(parser, token):
    return CsrfAndFormTokenNode()
