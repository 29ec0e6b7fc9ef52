"""Sign-in helpers shared by the login form and django-axes."""


def normalise_email(address: str) -> str:
    """The form of an address that sign-in compares: trimmed and lower-case."""
    return address.strip().lower()


def lockout_username(request, credentials) -> str:
    """The name django-axes counts failures against: the address as sign-in matches it, so
    typing it in capitals does not start a fresh count."""
    return normalise_email((credentials or {}).get("username") or "")
