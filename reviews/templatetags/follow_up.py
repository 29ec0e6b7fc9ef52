"""The agreed actions followed up (R38), shown on the self-assessment and the desk
analysis. The review stages below regional intelligence never import it: their pages
load this library, which asks intelligence's permissions and selectors."""

from django import template
from django.urls import reverse

from reviews.intelligence import permissions
from reviews.intelligence.selectors import follow_up as selectors
from reviews.intelligence.services.follow_up import DESK_ANALYSIS_STATES

register = template.Library()


@register.inclusion_tag("intelligence/_actions_followed_up.html")
def actions_followed_up_in_self_assessment(self_assessment, access):
    """The actions carried into ``self_assessment``, for those ``access`` lets see them.
    Two queries when shown, none otherwise."""
    if not permissions.sees_follow_up_in_self_assessment(access):
        return {"shown": False}
    return {
        "shown": True,
        "followed": selectors.actions_carried_into_self_assessment(self_assessment),
        "records": permissions.records_follow_up_in_self_assessment(access),
        "local_authority": self_assessment.local_authority,
        "url": reverse("intelligence:self_assessment_actions", args=[self_assessment.pk]),
        # Its DCS and 2nd-tier lead, and the coordinator, see its self-ratings beside the
        # review teams' views (R39): the rule of ``sees_self_awareness``, from the access.
        "self_awareness_url": reverse(
            "intelligence:self_awareness", args=[self_assessment.local_authority_id]
        )
        if access.writer_post or access.coordinator
        else "",
    }


@register.inclusion_tag("intelligence/_actions_followed_up.html")
def actions_followed_up_in_review(review, access):
    """The actions carried into ``review``'s desk analysis, for those ``access`` lets see
    them (never a SAV's host, R30). Two queries when shown, none otherwise."""
    if not permissions.sees_follow_up_in_review(access):
        return {"shown": False}
    return {
        "shown": True,
        "followed": selectors.actions_carried_into_review(review),
        "records": permissions.records_follow_up_in_review(access)
        and review.state in DESK_ANALYSIS_STATES,
        "local_authority": review.host,
        "url": reverse("intelligence:review_actions", args=[review.pk]),
    }
