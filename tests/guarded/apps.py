from django.apps import AppConfig


class GuardedConfig(AppConfig):
    name = "tests.guarded"
    label = "guarded"
    default_auto_field = "django.db.models.BigAutoField"
