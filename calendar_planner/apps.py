from django.apps import AppConfig


class CalendarPlannerConfig(AppConfig):
    name = "calendar_planner"
    verbose_name = "Calendar"

    def ready(self):
        from auditlog.registry import auditlog

        from calendar_planner import models
        from emslirp.permissions import coordinator_permissions_add

        auditlog.register(models.Blackout)
        auditlog.register(models.Programme)
        auditlog.register(models.ExtraReviewRequest)
        coordinator_permissions_add(
            {
                "calendar_planner.view_blackout",
                "calendar_planner.add_blackout",
                "calendar_planner.change_blackout",
                "calendar_planner.delete_blackout",
            }
        )
