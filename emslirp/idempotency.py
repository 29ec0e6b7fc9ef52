"""Every form that creates or changes something is done once, however often it is sent
(STYLE 13).

A form carries a one-time token (``{% form_token %}``). The middleware runs the view and,
when the view has done its work (it answers with a redirect, the pattern every form here
follows), stores the token in the same transaction as the view's own writes. The token is
a primary key: a second send of the same form — a double click, a retry on bad Wi-Fi, the
back button — meets it, its transaction is rolled back whole (records, grants, e-mails
queued on commit), and the person is sent where the first send sent them. Two sends at the
same moment are serialised by the key: the later waits for the earlier and then rolls back.

A form sent with errors keeps its token unused, so the corrected form goes through. The
browser's double-click guard is a comfort; this is the protection."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.http.request import RawPostDataException
from django.utils import timezone

FIELD = "form_token"
REPEATED = "That was sent more than once; it was done once."
# How long a used token is kept. A form can only be sent again within the session it was
# rendered in (signing in again changes the CSRF token the page holds, SESSION_COOKIE_AGE
# is ten hours), so a week is well past any repeat that could get through.
KEPT = datetime.timedelta(days=7)


class _Repeated(Exception):
    """The token was stored meanwhile: undo this send."""


def _token(request) -> uuid.UUID | None:
    try:
        value = request.POST.get(FIELD, "")
    except (RequestDataTooBig, TooManyFieldsSent, RawPostDataException):
        return None  # the view answers the oversized or odd request itself
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class IdempotentPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.user.is_authenticated:
            return self.get_response(request)
        token = _token(request)
        if token is None:
            return self.get_response(request)
        from emslirp.models import FormToken

        user = request.user
        if FormToken.objects.filter(token=token).exists():
            return self._repeat(request, token)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if 300 <= response.status_code < 400 and response.has_header("Location"):
                    try:
                        with transaction.atomic():
                            FormToken.objects.create(
                                token=token,
                                user=user,
                                used_at=timezone.now(),
                                path=request.path[:500],
                                location=response["Location"][:500],
                            )
                    except IntegrityError:
                        raise _Repeated from None
        except _Repeated:
            return self._repeat(request, token)
        return response

    def _repeat(self, request, token):
        from emslirp.models import FormToken

        stored = FormToken.objects.filter(token=token).first()
        if stored is None or stored.user_id != request.user.pk:
            raise BadRequest("A form token of someone else's.")
        messages.info(request, REPEATED)
        return HttpResponseRedirect(stored.location)


def form_tokens_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the tokens used longer ago than ``KEPT``; the number deleted."""
    from emslirp.models import FormToken

    before = (now or timezone.now()) - KEPT
    deleted, _ = FormToken.objects.filter(used_at__lt=before).delete()
    return deleted
