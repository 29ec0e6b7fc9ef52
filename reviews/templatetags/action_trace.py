"""``{% action_trace_readable access letter_state as traceable %}``: whether the person
whose ``access`` a page holds may open the traces of the review's agreed actions (R40),
for pages of stages below the letter (the verbal feedback record), which may not import
the letter's permissions themselves. No query."""

from django import template

from reviews.letter.permissions import action_trace_readable as readable

register = template.Library()


@register.simple_tag
def action_trace_readable(access, letter_state) -> bool:
    return readable(access, letter_state=letter_state)
