"""The coordinator's page of deadlines and reminders (R37): what is open in their region,
what was sent to whom and when, and "remind now"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from emslirp import deadlines
from emslirp.models import Reminder, ReminderState
from emslirp.permissions import coordinated_regions
from emslirp.reminders import ReminderRefused, reminders_send_now

LOG_PAGE_SIZE = 50


def _region_ids(user) -> list[int]:
    ids = list(coordinated_regions(user).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


@login_required
def reminders(request):
    """Every open deadline of the coordinator's region that they follow, soonest due first,
    with whom it waits for and when each was last reminded; then those reminders, newest
    first. A fixed number of queries."""
    on = timezone.localdate()
    region_ids = _region_ids(request.user)
    open_here = [
        d
        for d in deadlines.open_deadlines(on=on)
        if d.region_id in region_ids and d.kind in deadlines.coordinator_kinds()
    ]
    sent = Reminder.objects.filter(
        region_id__in=region_ids,
        state=ReminderState.SENT,
        kind__in={d.kind for d in open_here},
        subject__in={d.subject for d in open_here},
    ).values_list("kind", "subject", "recipient_id", "sent_at")
    last_sent: dict[tuple, object] = {}
    for kind, subject, recipient_id, sent_at in sent:
        key = (kind, subject, recipient_id)
        last_sent[key] = max(sent_at, last_sent.get(key, sent_at))
    rows = [
        {
            "deadline": d,
            "kind": deadlines.kind_label(d.kind),
            "overdue": d.overdue(on),
            "recipients": [
                (person, last_sent.get((d.kind, d.subject, person.pk))) for person in d.recipients
            ],
        }
        for d in open_here
    ]
    log = Reminder.objects.filter(
        region_id__in=region_ids, kind__in=deadlines.coordinator_kinds()
    ).select_related("recipient", "requested_by")
    page = Paginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "emslirp/reminders.html",
        {"rows": rows, "page": page, "today": on},
    )


@login_required
@require_POST
def reminders_remind_now(request):
    _region_ids(request.user)
    try:
        count = reminders_send_now(
            kind=request.POST.get("kind", ""),
            subject=request.POST.get("subject", ""),
            by=request.user,
        )
    except ReminderRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"A reminder is on its way to {count} {'person' if count == 1 else 'people'}."
        )
    return redirect("reminders")
