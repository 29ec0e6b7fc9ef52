from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class EmslirpConfig(AppConfig):
    name = "emslirp"
    verbose_name = "Region register"

    def ready(self):
        from emslirp import (
            audit,
            tasks,  # noqa: F401 (their names, for emslirp.queue)
        )

        audit.register_core_models()


class EmslirpAdminConfig(AdminConfig):
    default_site = "emslirp.admin_site.EmslirpAdminSite"
