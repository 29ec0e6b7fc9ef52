"""The reviews app's models live in one package per stage of the handbook, under the one
app label "reviews": the tables a database made before the split holds are the tables the
models read, and no migration is needed."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

# Each model, the stage that holds it and the table it has always had.
TABLES = {
    "Review": ("reviews.review.models", "reviews_review"),
    "TeamMember": ("reviews.review.models", "reviews_teammember"),
    "ReviewUserGrant": ("reviews.review.models", "reviews_reviewusergrant"),
    "ReviewGroupGrant": ("reviews.review.models", "reviews_reviewgroupgrant"),
    "ReviewStateChange": ("reviews.review.models", "reviews_reviewstatechange"),
    "SelfAssessmentTemplate": ("reviews.self_assessment.models", "reviews_selfassessmenttemplate"),
    "SelfAssessment": ("reviews.self_assessment.models", "reviews_selfassessment"),
    "SelfAssessmentRevision": ("reviews.self_assessment.models", "reviews_selfassessmentrevision"),
    "SelfAssessmentUserGrant": (
        "reviews.self_assessment.models",
        "reviews_selfassessmentusergrant",
    ),
    "SelfAssessmentGroupGrant": (
        "reviews.self_assessment.models",
        "reviews_selfassessmentgroupgrant",
    ),
    "Hypothesis": ("reviews.workbook.models", "reviews_hypothesis"),
    "Hypothesis_specialisms": ("reviews.workbook.models", "reviews_hypothesis_specialisms"),
    "HypothesisComment": ("reviews.workbook.models", "reviews_hypothesiscomment"),
    "ConferenceCall": ("reviews.workbook.models", "reviews_conferencecall"),
    "ConferenceCall_attended_by": (
        "reviews.workbook.models",
        "reviews_conferencecall_attended_by",
    ),
    "Method": ("reviews.workbook.models", "reviews_method"),
    "Deployment": ("reviews.workbook.models", "reviews_deployment"),
    "Notebook": ("reviews.workbook.models", "reviews_notebook"),
    "Note": ("reviews.workbook.models", "reviews_note"),
    "Finding": ("reviews.workbook.models", "reviews_finding"),
    "HypothesisReport": ("reviews.workbook.models", "reviews_hypothesisreport"),
    "EmergingIssue": ("reviews.workbook.models", "reviews_emergingissue"),
    "VerbalFeedback": ("reviews.workbook.models", "reviews_verbalfeedback"),
    "AgreedAction": ("reviews.workbook.models", "reviews_agreedaction"),
    "AgreedAction_findings": ("reviews.workbook.models", "reviews_agreedaction_findings"),
    "LetterTemplate": ("reviews.letter.models", "reviews_lettertemplate"),
    "Letter": ("reviews.letter.models", "reviews_letter"),
    "LetterEvent": ("reviews.letter.models", "reviews_letterevent"),
    "LetterComment": ("reviews.letter.models", "reviews_lettercomment"),
    "UntracedActionReason": ("reviews.letter.models", "reviews_untracedactionreason"),
    "LetterPdf": ("reviews.letter.models", "reviews_letterpdf"),
    "LetterPdfDownload": ("reviews.letter.models", "reviews_letterpdfdownload"),
    "Reflection": ("reviews.reflections.models", "reviews_reflection"),
    "PeerFeedback": ("reviews.reflections.models", "reviews_peerfeedback"),
    "Escalation": ("reviews.escalations.models", "reviews_escalation"),
    # Added after the split, in their own stages (R28, R38, R39).
    "TeamAreaView": ("reviews.workbook.models", "reviews_teamareaview"),
    "Theme": ("reviews.intelligence.models", "reviews_theme"),
    "ThemeTag": ("reviews.intelligence.models", "reviews_themetag"),
    "ActionProgress": ("reviews.intelligence.models", "reviews_actionprogress"),
    "RegionalReport": ("reviews.intelligence.models", "reviews_regionalreport"),
    "RegionalReportDownload": ("reviews.intelligence.models", "reviews_regionalreportdownload"),
}


def _models():
    return apps.get_app_config("reviews").get_models(include_auto_created=True)


def test_each_model_keeps_its_table_under_the_reviews_label():
    found = {m.__name__: (m.__module__, m._meta.db_table) for m in _models()}
    assert found == TABLES
    assert {m._meta.app_label for m in _models()} == {"reviews"}


def test_the_models_need_no_migration(db):
    # Exits (SystemExit) if the models and the migrations disagree.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_database_migrated_from_zero_is_at_the_latest_and_matches_the_models(db):
    """The test database is migrated from zero by the migrations as they were before the
    split; it is at the latest migration, and its state is the models' state."""
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    changes = MigrationAutodetector(
        executor.loader.project_state(), ProjectState.from_apps(apps)
    ).changes(graph=executor.loader.graph)
    assert changes == {}


def test_each_table_has_the_columns_its_model_reads(db):
    with connection.cursor() as cursor:
        for model in _models():
            columns = {
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
            assert {f.column for f in model._meta.local_concrete_fields} == columns


def test_no_module_of_the_product_is_over_500_lines():
    """A module one reads whole: none of the reviews' modules (migrations aside) is over
    500 lines."""
    from django.conf import settings

    long = sorted(
        f"{path.relative_to(settings.BASE_DIR)}: {count}"
        for path in (settings.BASE_DIR / "reviews").rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    )
    assert long == []
