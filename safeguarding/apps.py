from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        from auditlog.registry import auditlog

        from safeguarding import models

        # Every change to an incident's record keeps who, what and when (R33).
        auditlog.register(models.CriticalIncident)
        auditlog.register(models.IncidentAddendum)
