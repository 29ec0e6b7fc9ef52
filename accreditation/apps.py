from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"

    def ready(self):
        from accreditation import audit, deadlines
        from accreditation.views import home_part
        from emslirp.deadlines import deadline_kinds_register
        from emslirp.home import home_part_register
        from emslirp.permissions import coordinator_permissions_add

        # What the core asks the apps for: their deadlines (R37) and their part of the
        # home page. The core imports no app.
        deadline_kinds_register(deadlines.KINDS)
        home_part_register(home_part, rank=3)
        audit.register_models()
        coordinator_permissions_add(
            {
                "accreditation.view_expressionofinterest",
                "accreditation.view_rolerequest",
                "accreditation.view_trainingsession",
                "accreditation.add_trainingsession",
                "accreditation.change_trainingsession",
                "accreditation.view_trainingattendance",
                "accreditation.add_trainingattendance",
                "accreditation.change_trainingattendance",
                "accreditation.view_accreditation",
                "accreditation.change_accreditation",
                "accreditation.view_accreditationstatuschange",
                "accreditation.view_conflictdeclaration",
            }
        )
