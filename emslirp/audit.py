"""Change history for the core models (R33), kept by django-auditlog with the actor."""

from auditlog.registry import auditlog


def register_core_models():
    from emslirp import models

    auditlog.register(models.Region)
    auditlog.register(models.LocalAuthority, m2m_fields={"successors"})
    auditlog.register(models.LocalAuthorityAlias)
    # Secrets and sign-in timestamps are not history anyone needs to read.
    auditlog.register(models.User, exclude_fields=["password", "last_login"])
    auditlog.register(models.Post)
    auditlog.register(models.MemorandumOfUnderstanding)
    auditlog.register(models.MouSignature)
