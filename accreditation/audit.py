"""Change history for accreditation (R8, R33): every status change keeps who and why."""

from auditlog.registry import auditlog


def register_models():
    from accreditation import models

    auditlog.register(models.ExpressionOfInterest, m2m_fields={"specialisms"})
    auditlog.register(models.RoleRequest)
    auditlog.register(models.TrainingSession)
    auditlog.register(models.TrainingAttendance)
    auditlog.register(models.Accreditation)
    auditlog.register(models.ConflictDeclaration)
