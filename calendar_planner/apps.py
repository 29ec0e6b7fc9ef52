from django.apps import AppConfig


class CalendarPlannerConfig(AppConfig):
    name = "calendar_planner"
    verbose_name = "Calendar"

    def ready(self):
        from auditlog.registry import auditlog

        from calendar_planner import (
            models,
            tasks,  # noqa: F401 (their names, for emslirp.queue)
        )
        from calendar_planner.views import home_part
        from emslirp.home import home_part_register
        from emslirp.permissions import coordinator_permissions_add

        home_part_register(home_part, rank=2)
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
