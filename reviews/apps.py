from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from auditlog.registry import auditlog

        from reviews.models import Review

        # Every change to a review's record keeps who, what and when (R33).
        auditlog.register(Review)
