"""Sign-in helpers shared by the login form and django-axes."""


def normalise_email(address: str) -> str:
    """The form of an address that sign-in compares: trimmed and lower-case."""
    return address.strip().lower()


def lockout_username(request, credentials) -> str:
    """The name django-axes counts failures against: the address as sign-in matches it, so
    typing it in capitals does not start a fresh count."""
    return normalise_email((credentials or {}).get("username") or "")


def client_ip(request) -> str:
    """The address a sign-in came from, as django-axes counts it.

    Behind ``EMSLIRP_PROXY_COUNT`` trusted proxies (the TLS proxy in front of gunicorn,
    say) every request arrives from the proxy; the client is the address the outermost
    trusted proxy appended to X-Forwarded-For, counted from the right, since entries to
    its left are whatever the client chose to send. Without it, the peer's address.
    """
    from django.conf import settings

    count = settings.EMSLIRP_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    return hops[-count] if len(hops) >= count else remote
