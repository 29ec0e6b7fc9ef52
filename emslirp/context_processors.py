from django.conf import settings

from emslirp import permissions


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        # A callable: the template asks only where it shows the link.
        "can_use_admin": lambda: user is not None and permissions.can_use_admin(user),
    }
