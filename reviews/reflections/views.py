"""Pages of the reflection and evaluation (R27, R29): one's own reflection (the form
until the closing day, then to read once submitted), the whole team's composite, and the
QA's view of who has completed. Each shows the closing day.

Every page asks ``reviews.reflections.permissions.reflection_rights``: anyone who may not see the
review gets 404 (``_review``), anyone who sees it but has no part in its reflections 403.
No page names the writer of anything but the viewer's own words.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from emslirp.forms import error_links, form_errors_add
from emslirp.reminders import ReminderRefused, reminders_send_now
from reviews.reflections import permissions, selectors, services
from reviews.reflections.forms import ReflectionForm, reflection_initial
from reviews.review.views import _review


def _own_sections(reflection, colleagues) -> list[tuple[str, list[tuple[str, str]]]]:
    """The viewer's own reflection, to read, in the form's order: (heading, [(question,
    answer)]). Their own words are the only ones ever shown with a writer."""
    if reflection is None:
        return []
    sections = [
        (
            "Yourself",
            [
                ("Your strengths in this review", reflection.self_strengths),
                ("Your areas for development", reflection.self_development),
            ],
        )
    ]
    said = reflection.peer_by_colleague
    for colleague in colleagues:
        feedback = said.get(colleague.person.pk)
        sections.append(
            (
                f"{colleague.person.full_name} ({colleague.role_name})",
                [
                    ("Strengths", feedback.strengths if feedback else ""),
                    ("Areas for development", feedback.development if feedback else ""),
                ],
            )
        )
    for title, questions in selectors.EVALUATION:
        rows = []
        for q in questions:
            value = getattr(reflection, q.field)
            if q.is_scale:
                value = selectors.scale_label(q.field, value) if value is not None else ""
            rows.append((q.label, value))
        sections.append((title, rows))
    return sections


def _typed(post, colleagues) -> list[tuple[str, str]]:
    """What a refused post held, to show back unsaved: (question, text) for each text
    typed, in the form's order. Read straight from the post: there is no form to check
    it against once nothing more can be saved."""
    questions = [
        ("self_strengths", "Your strengths in this review"),
        ("self_development", "Your areas for development"),
    ]
    for colleague in colleagues:
        pk, name = colleague.person.pk, colleague.person.full_name
        questions += [
            (services.peer_key(pk, "strengths"), f"Strengths of {name}"),
            (services.peer_key(pk, "development"), f"Areas for development of {name}"),
        ]
    questions += [(q.field, q.label) for q in selectors.QUESTIONS if not q.is_scale]
    typed = []
    for field, label in questions:
        text = post.get(field, "")
        if text.strip():
            typed.append((label, text))
    return typed


def _page(request, review, rights, *, today, own, colleagues, form=None, status=200, typed=None):
    return render(
        request,
        "reviews/reflection.html",
        {
            "review": review,
            "rights": rights,
            "open": selectors.reflections_open(review),
            "closes_on": selectors.reflections_close_on(review),
            "closed": selectors.reflections_closed(review, on=today),
            "own": own,
            "own_sections": _own_sections(own, colleagues),
            "form": form,
            "error_links": error_links(form, whole="reflection-form"),
            "min_answers": selectors.MIN_ANSWERS,
            "typed": typed or [],
        },
        status=status,
    )


@login_required
def reflection(request, pk):
    """The viewer's own reflection: the form until they submit or reflections close,
    then to read. Save as draft keeps every answer; Submit saves too, and a refused
    submission keeps what was typed, marking each scale still to answer (R27). A post
    that comes too late (reflections closed, or already submitted in another tab) is
    refused with a 400 that shows what was typed back, unsaved, so it is not lost."""
    review, access, today = _review(request, pk)
    rights = permissions.reflection_rights(access)
    if not rights.write_own:
        raise PermissionDenied
    colleagues = selectors.reflection_colleagues(review=review, writer=request.user)
    own = selectors.reflection_of(review=review, person=request.user)
    page = functools.partial(_page, request, review, rights, today=today, colleagues=colleagues)
    submitted = own is not None and own.submitted_at is not None
    closed = selectors.reflections_closed(review, on=today)
    if submitted or closed or not selectors.reflections_open(review):
        if request.method == "POST":
            if submitted:
                messages.info(request, "Your reflection is submitted: it can no longer change.")
            elif closed:
                messages.info(request, services.closed_message(review))
            else:
                messages.info(request, "Reflections open once the visit is over.")
            return page(own=own, typed=_typed(request.POST, colleagues), status=400)
        return page(own=own)
    if request.method != "POST":
        return page(
            own=own, form=ReflectionForm(initial=reflection_initial(own), colleagues=colleagues)
        )
    form = ReflectionForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        return page(own=own, form=form, status=400)
    try:
        services.reflection_save(
            review=review,
            by=request.user,
            answers=form.answers(),
            peer_feedback=form.peer_feedback(),
        )
    except ValidationError as error:
        form_errors_add(form, error)
        return page(own=own, form=form, status=400)
    if "submit" not in request.POST:
        messages.success(
            request, "Your reflection is saved as a draft. Submit it when it is ready."
        )
        return redirect("reviews:reflection", pk=review.pk)
    try:
        services.reflection_submit(review=review, by=request.user)
    except ValidationError as error:
        form_errors_add(form, error)
        messages.info(request, "Your answers are saved. Answer what is marked, then submit.")
        own = selectors.reflection_of(review=review, person=request.user)
        return page(own=own, form=form, status=400)
    messages.success(
        request,
        "Your reflection is submitted. Thank you: it is now part of the team's composite.",
    )
    return redirect("reviews:reflection", pk=review.pk)


@login_required
def reflections_composite(request, pk):
    """The whole team's reflections together, with no writer named, once they can no
    longer change and enough others have answered that no answer can be traced to its
    writer; until then, how many have answered and by when it will appear. The viewer's
    own beside it, as theirs (R27)."""
    review, access, today = _review(request, pk)
    rights = permissions.reflection_rights(access)
    if not rights.read_composite:
        raise PermissionDenied
    team = selectors.reflecting_team(review)
    composite = selectors.reflections_composite(
        review=review, viewer=request.user, on=today, team=team
    )
    own = selectors.reflection_of(review=review, person=request.user)
    colleagues = selectors.reflection_colleagues(review=review, writer=request.user, team=team)
    return render(
        request,
        "reviews/reflections_composite.html",
        {
            "review": review,
            "rights": rights,
            "open": selectors.reflections_open(review),
            "composite": composite,
            "min_answers": selectors.MIN_ANSWERS,
            "own": own,
            "own_sections": _own_sections(own, colleagues),
        },
    )


@login_required
def reflections_completion(request, pk):
    """For the QA: who is asked to reflect, and whether and when each has submitted, and
    the closing day; never what anyone wrote (R27, R29)."""
    review, access, today = _review(request, pk)
    if not permissions.reflection_rights(access).see_completion:
        raise PermissionDenied
    rows = selectors.reflections_completion(review=review, on=today)
    return render(
        request,
        "reviews/reflections_completion.html",
        {
            "review": review,
            "open": selectors.reflections_open(review),
            "closes_on": selectors.reflections_close_on(review),
            "closed": selectors.reflections_closed(review, on=today),
            "working_days": selectors.REFLECTION_WORKING_DAYS,
            "rows": rows,
            "submitted": sum(1 for r in rows if r.expected and r.submitted_at),
            "asked": sum(1 for r in rows if r.expected),
        },
    )


@login_required
@require_POST
def reflections_remind(request, pk):
    """The QA reminds, by hand, everyone asked who has not yet submitted (R27, R37)."""
    review, access, _today = _review(request, pk)
    if not permissions.reflection_rights(access).see_completion:
        raise PermissionDenied
    try:
        count = reminders_send_now(kind="reflection", subject=str(review.pk), by=request.user)
    except ReminderRefused as refused:
        messages.error(request, str(refused))
    else:
        people = "person" if count == 1 else "people"
        messages.success(request, f"A reminder is on its way to {count} {people}.")
    return redirect("reviews:reflections_completion", pk=review.pk)
