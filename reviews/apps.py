from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from auditlog.registry import auditlog

        from emslirp.deadlines import deadline_kinds_register
        from emslirp.home import home_part_register
        from emslirp.permissions import coordinator_permissions_add
        from reviews import (
            deadlines,
            tasks,  # noqa: F401 (their names, for emslirp.queue)
        )
        from reviews.escalations import models as escalations_models
        from reviews.intelligence import models as intelligence_models
        from reviews.intelligence.views import regional
        from reviews.letter import models as letter_models
        from reviews.review import models as review_models
        from reviews.review.views import home_part
        from reviews.self_assessment import models as self_assessment_models
        from reviews.workbook import models

        # What the core asks the apps for: their deadlines (R37) and their part of the
        # home page. The core imports no app.
        deadline_kinds_register(deadlines.KINDS)
        home_part_register(home_part, rank=1)
        home_part_register(regional.home_part, rank=4)
        # Every change to a review's record keeps who, what and when (R33).
        auditlog.register(review_models.Review)
        for model in (
            review_models.TeamMember,
            models.Hypothesis,
            models.HypothesisComment,
            models.ConferenceCall,
            models.Method,
            models.Deployment,
            # On site and after (R21–R27).
            models.Notebook,
            models.Note,
            models.Finding,
            models.HypothesisReport,
            models.EmergingIssue,
            models.VerbalFeedback,
            letter_models.LetterTemplate,
            letter_models.Letter,
            escalations_models.Escalation,
            # The region's themes and their tags on final letters (R28).
            intelligence_models.Theme,
            intelligence_models.ThemeTag,
        ):
            auditlog.register(model)
        # Which findings an action answers is what the QA's proofreading traces (R23).
        auditlog.register(models.AgreedAction, m2m_fields={"findings"})
        # The team's view of the areas and the host's reports on actions (R38, R39).
        from reviews.intelligence.models import ActionProgress

        auditlog.register(models.TeamAreaView)
        auditlog.register(ActionProgress)
        # Reflections are not: the audit log would tie each answer to its writer (R27).
        # A self-assessment's saves are logged by its services (a conditional UPDATE sends
        # no signal); its start, its template versions and the DCS's delegations here.
        auditlog.register(self_assessment_models.SelfAssessment)
        auditlog.register(self_assessment_models.SelfAssessmentTemplate)
        auditlog.register(self_assessment_models.SelfAssessmentUserGrant)
        # The template is the region's shared form: a coordinator publishes new versions
        # and never changes or deletes one (R17, R31).
        coordinator_permissions_add(
            {"reviews.view_selfassessmenttemplate", "reviews.add_selfassessmenttemplate"}
        )
        # A coordinator reads and changes their region's letter templates, and adds one
        # for a kind their region lacks (a region made after the seed migration has none);
        # never deletes one, as the lead cannot draft a letter without it (R23, R31).
        coordinator_permissions_add(
            {
                "reviews.view_lettertemplate",
                "reviews.change_lettertemplate",
                "reviews.add_lettertemplate",
            }
        )
        # A coordinator keeps their region's themes in the admin too; one in use is
        # retired, never deleted (R28, R31).
        coordinator_permissions_add(
            {
                "reviews.view_theme",
                "reviews.add_theme",
                "reviews.change_theme",
                "reviews.delete_theme",
            }
        )
