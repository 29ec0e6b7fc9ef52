from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        from auditlog.registry import auditlog

        from emslirp.deadlines import deadline_kinds_register
        from safeguarding import (
            deadlines,
            models,
            tasks,  # noqa: F401 (their names, for emslirp.queue)
        )

        deadline_kinds_register(deadlines.KINDS)
        # Every change to an incident's record keeps who, what and when (R33).
        auditlog.register(models.CriticalIncident)
        auditlog.register(models.IncidentAddendum)
