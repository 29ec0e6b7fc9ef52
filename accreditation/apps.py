from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = "Accreditation"

    def ready(self):
        from accreditation import audit
        from emslirp.permissions import coordinator_permissions_add

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
