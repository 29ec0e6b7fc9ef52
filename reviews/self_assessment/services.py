"""Changes to self-assessments and their template (R17, R32, R33).

Each function checks who may make the change and every rule it must keep, and leaves
either the whole change or none. Saves are optimistic: each names the revision it was
based on, and one based on a revision someone else has saved over since is refused with
``SelfAssessmentConflict``, so that no one's words are overwritten unseen. The revision
is bumped by a conditional UPDATE, which holds when two saves reach the database at once.
"""

import datetime
import re

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from emslirp.models import LocalAuthority, User
from emslirp.object_permissions import object_grant, object_revoke
from reviews.self_assessment import content as fields
from reviews.self_assessment import permissions
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentRevision,
    SelfAssessmentScope,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)
from reviews.self_assessment.selectors import self_assessment_get

SCALE_VALUES = [1, 2, 3, 4]  # R17: 1 inadequate … 4 outstanding
LIST_MAX_CEILING = 10
# A save that loses the race to the UPDATE looks again this many times in all: enough
# for one's own autosave overtaking one's Save button, never a loop.
_SAVE_ATTEMPTS = 3
AREA_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_STRUCTURE_KEYS = {"guidance", "scale", "areas", "strengths", "weaknesses"}


class SelfAssessmentConflict(Exception):
    """A save or submission based on ``base_revision``, which others have saved over
    since. Nothing was saved; ``content`` is what the person sent."""

    def __init__(self, *, base_revision: int, content: dict | None = None):
        super().__init__(f"Saved over since revision {base_revision}.")
        self.base_revision = base_revision
        self.content = content


# The template ------------------------------------------------------------------------


def _text(value, where: str, *, required: bool = True) -> list[str]:
    if not isinstance(value, str):
        return [f"{where} must be a piece of text."]
    if required and not value.strip():
        return [f"{where} must not be empty."]
    if len(value) > 300:
        return [f"{where} can be at most 300 characters."]
    return []


def self_assessment_template_check(*, structure) -> None:
    """Raise ValidationError, each message naming the place, unless ``structure`` is a
    template the forms can be built from: ``scale`` rates 1 to 4 with a label each;
    ``areas`` lists at least one area, each with a ``key`` (lower-case letters, digits and
    underscores, unique: it ties an area's ratings together across versions) and a
    ``name``; ``strengths`` and ``weaknesses`` each have a ``label`` and a ``max`` number
    of rows (1 to 10); ``guidance`` is optional text."""
    if not isinstance(structure, dict):
        raise ValidationError("The template must be a JSON object.")
    problems = []
    unknown = sorted(set(structure) - _STRUCTURE_KEYS)
    if unknown:
        problems.append(f"Unknown parts: {', '.join(unknown)}.")
    missing = sorted(_STRUCTURE_KEYS - {"guidance"} - set(structure))
    if missing:
        problems.append(f"Missing parts: {', '.join(missing)}.")
    if "guidance" in structure:
        problems += _text(structure["guidance"], "guidance", required=False)
    scale = structure.get("scale")
    if "scale" in structure:
        if (
            not isinstance(scale, list)
            or [p.get("value") if isinstance(p, dict) else None for p in scale] != SCALE_VALUES
        ):
            problems.append('"scale" must rate 1, 2, 3 and 4, in that order.')
        else:
            for point in scale:
                problems += _text(point.get("label"), f"The label of scale point {point['value']}")
    areas = structure.get("areas")
    if "areas" in structure:
        if not isinstance(areas, list) or not areas:
            problems.append('"areas" must list at least one area.')
        else:
            seen = set()
            for n, area in enumerate(areas, start=1):
                if not isinstance(area, dict) or set(area) - {"key", "name", "hint"}:
                    problems.append(f"Area {n} must have a key, a name and, if wanted, a hint.")
                    continue
                key = area.get("key")
                if not isinstance(key, str) or not AREA_KEY.match(key):
                    problems.append(
                        f"The key of area {n} must start with a lower-case letter and hold "
                        "only lower-case letters, digits and underscores (at most 40)."
                    )
                elif key in seen:
                    problems.append(f'The key "{key}" is used by two areas.')
                seen.add(key)
                problems += _text(area.get("name"), f"The name of area {n}")
                if "hint" in area:
                    problems += _text(area["hint"], f"The hint of area {n}", required=False)
    for list_name in fields.LISTS:
        part = structure.get(list_name)
        if list_name not in structure:
            continue
        if not isinstance(part, dict) or set(part) != {"label", "max"}:
            problems.append(f'"{list_name}" must have a label and a max.')
            continue
        problems += _text(part["label"], f"The label of {list_name}")
        if (
            not isinstance(part["max"], int)
            or isinstance(part["max"], bool)
            or not 1 <= part["max"] <= LIST_MAX_CEILING
        ):
            problems.append(f'The max of "{list_name}" must be a whole number from 1 to 10.')
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def self_assessment_template_publish(
    *, template: SelfAssessmentTemplate, by: User
) -> SelfAssessmentTemplate:
    """Publish the unsaved ``template`` as the next version. Self-assessments already
    started keep theirs; those started from now on take this one (R17)."""
    if template.pk is not None:
        raise ValueError("A published version never changes: publish a new one.")
    self_assessment_template_check(structure=template.structure)
    latest = SelfAssessmentTemplate.objects.select_for_update().order_by("-number").first()
    template.number = (latest.number + 1) if latest else 1
    template.published_by = by
    template.save()
    return template


def self_assessment_template_current() -> SelfAssessmentTemplate:
    """The latest published version: new self-assessments are started on it."""
    return SelfAssessmentTemplate.objects.latest()


# Content ------------------------------------------------------------------------------


def self_assessment_content_check(*, template: SelfAssessmentTemplate, content: dict) -> dict:
    """``content`` (every field of ``template``'s form) as it is saved, or ValidationError
    with a message per field: text within its length, a well-formed e-mail address, a
    known scope, ratings on the scale or empty. Nothing is required in a draft."""
    structure = template.structure
    expected = fields.keys(structure)
    if set(content) != set(expected):
        raise ValidationError("The form does not match the template of this self-assessment.")
    errors = {}
    clean = {}
    labels = {fields.rating_key(a["key"]): a["name"] for a in structure["areas"]}
    for key in fields.text_keys(structure):
        value = content[key]
        if not isinstance(value, str):
            errors[key] = "Type text here."
            continue
        if len(value) > fields.limit(key):
            errors[key] = (
                f"This can be at most {fields.limit(key):,} characters; it has {len(value):,}."
            )
        clean[key] = value
    email = clean.get("contact_email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = "Enter an e-mail address such as name@example.gov.uk."
    if content["scope"] not in SelfAssessmentScope.values:
        errors["scope"] = "Choose what the self-assessment covers."
    clean["scope"] = content["scope"]
    for key, name in labels.items():
        value = content[key]
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in SCALE_VALUES
        ):
            errors[key] = f"Rate {name} from 1 to 4."
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    return {k: clean[k] for k in expected}


def self_assessment_submit_check(*, template: SelfAssessmentTemplate, content: dict) -> None:
    """ValidationError at each field that submitting needs and is empty: every area's
    rating, the period covered, and the name and position of who signs it off (R17)."""
    errors = {}
    if not content["period_covered"].strip():
        errors["period_covered"] = "Say which period the self-assessment covers."
    for area in template.structure["areas"]:
        key = fields.rating_key(area["key"])
        if content[key] is None:
            errors[key] = f"Rate {area['name']}: every area is rated before you submit."
    if not content["signed_name"].strip():
        errors["signed_name"] = "Type the name of who signs it off for the authority."
    if not content["signed_position"].strip():
        errors["signed_position"] = "Type the position of who signs it off."
    if errors:
        raise ValidationError(errors)


def _log(*, before: SelfAssessment, after: SelfAssessment, fields_changed, by: User) -> None:
    # The conditional UPDATE sends no signal, so the history entry is written here (R33).
    changes = model_instance_diff(before, after, fields_to_check=fields_changed)
    if changes:
        LogEntry.objects.log_create(after, action=LogEntry.Action.UPDATE, changes=changes, actor=by)


def _revision_record(*, self_assessment, number, content, by, at) -> None:
    SelfAssessmentRevision.objects.create(
        self_assessment=self_assessment, number=number, content=content, saved_by=by, saved_at=at
    )


@transaction.atomic
def self_assessment_start(
    *, local_authority: LocalAuthority, by: User, on: datetime.date
) -> SelfAssessment:
    """The LA's self-assessment for ``on``'s year, started now on the current template if
    it has none: by its DCS or 2nd-tier lead (R17). Starting twice, or two people at once,
    gives the one self-assessment."""
    if not permissions.can_start_self_assessment(by, local_authority, on):
        raise PermissionDenied
    existing = SelfAssessment.objects.filter(local_authority=local_authority, year=on.year).first()
    if existing is not None:
        return existing
    template = self_assessment_template_current()
    content = fields.empty(template.structure)
    content["contact_name"] = by.full_name
    content["contact_email"] = by.email
    now = timezone.now()
    self_assessment = SelfAssessment(
        local_authority=local_authority,
        year=on.year,
        template=template,
        started_by=by,
        updated_by=by,
        updated_at=now,
        **fields.columns(template.structure, content),
    )
    try:
        with transaction.atomic():
            self_assessment.save()
    except IntegrityError:
        # Someone started it between the check and the insert: theirs is the one.
        return SelfAssessment.objects.get(local_authority=local_authority, year=on.year)
    _revision_record(self_assessment=self_assessment, number=1, content=content, by=by, at=now)
    return self_assessment


def _load(self_assessment: SelfAssessment) -> SelfAssessment:
    return self_assessment_get(pk=self_assessment.pk)


def _submitted_error(self_assessment: SelfAssessment) -> ValidationError:
    return ValidationError(
        f"{self_assessment.submitted_by} submitted this self-assessment on "
        f"{self_assessment.signed_on:%-d %B %Y}: it can no longer be changed."
    )


def _rebase_own(*, self_assessment, base_revision: int, content: dict, by: User) -> dict | None:
    """``content`` carried onto the latest revision when every save since ``base_revision``
    was the same person's own (their autosave overtaking their Save button, or a second
    tab) and no field was changed both ways; else None."""
    revisions = list(
        SelfAssessmentRevision.objects.filter(
            self_assessment=self_assessment, number__gte=base_revision
        ).order_by("number")
    )
    if not revisions or revisions[0].number != base_revision:
        return None
    if any(r.saved_by_id != by.pk for r in revisions[1:]):
        return None
    merged, conflicts = fields.three_way_merge(
        base=revisions[0].content, mine=content, theirs=revisions[-1].content
    )
    return None if conflicts else merged


def self_assessment_save(
    *,
    self_assessment: SelfAssessment,
    base_revision: int,
    content: dict,
    by: User,
    on: datetime.date,
) -> int:
    """Save ``content`` (every field of the form) as the next revision of the draft, and
    return that revision's number: the current one if nothing changed.

    ``base_revision`` is the revision the person's page was showing. If anyone else has
    saved since, nothing is saved and ``SelfAssessmentConflict`` is raised: the person is
    told and merges (R17). Saves of their own since (an autosave overtaking their Save
    button) are merged in when no field was changed both ways. Only the LA's writers
    save, while it is a draft (PermissionDenied); bad content, or a submission meanwhile,
    raise ValidationError."""
    mine = None
    for _attempt in range(_SAVE_ATTEMPTS):
        self_assessment = _load(self_assessment)
        access = permissions.self_assessment_access(by, self_assessment, on=on)
        if self_assessment.is_submitted and access.of_the_la:
            raise _submitted_error(self_assessment)
        if not access.can_write:
            raise PermissionDenied
        template = self_assessment.template
        if mine is None:
            mine = self_assessment_content_check(template=template, content=content)
        if not 1 <= base_revision <= self_assessment.revision:
            raise ValidationError("The page was not made from this self-assessment: reload it.")
        current = fields.content_of(self_assessment)
        to_save, on_top_of = mine, self_assessment.revision
        if base_revision != self_assessment.revision:
            to_save = _rebase_own(
                self_assessment=self_assessment, base_revision=base_revision, content=mine, by=by
            )
            if to_save is None:
                raise SelfAssessmentConflict(base_revision=base_revision, content=mine)
        if to_save == current:
            return self_assessment.revision
        number = _save_on_top_of(
            self_assessment=self_assessment, revision=on_top_of, content=to_save, by=by
        )
        if number is not None:
            return number
        # Someone saved between this read and the UPDATE: look again at what they saved.
    raise SelfAssessmentConflict(base_revision=base_revision, content=mine)


def _save_on_top_of(
    *, self_assessment: SelfAssessment, revision: int, content: dict, by: User
) -> int | None:
    """Save ``content`` as revision ``revision + 1`` if the row is still at ``revision``
    and a draft; else None, having changed nothing."""
    values = fields.columns(self_assessment.template.structure, content)
    now = timezone.now()
    with transaction.atomic():
        # The conditional UPDATE is the lock: of two saves from the same revision, the
        # database lets one through and the other finds the revision moved on (R17).
        saved = SelfAssessment.objects.filter(
            pk=self_assessment.pk, revision=revision, state=SelfAssessmentState.DRAFT
        ).update(**values, revision=F("revision") + 1, updated_by=by, updated_at=now)
        if not saved:
            return None
        number = revision + 1
        _revision_record(
            self_assessment=self_assessment, number=number, content=content, by=by, at=now
        )
        after = SelfAssessment(
            **{
                f.attname: getattr(self_assessment, f.attname)
                for f in SelfAssessment._meta.concrete_fields
            }
        )
        for name, value in values.items():
            setattr(after, name, value)
        after.revision, after.updated_by, after.updated_at = number, by, now
        _log(before=self_assessment, after=after, fields_changed=list(values), by=by)
    return number


def self_assessment_submit(
    *, self_assessment: SelfAssessment, revision: int, by: User, on: datetime.date
) -> SelfAssessment:
    """Sign off and submit the draft as it stands at ``revision``, dated ``on``: by the
    LA's DCS or 2nd-tier lead, with every area rated, the period covered and the name and
    position of who signs it off (ValidationError at each field missing). From then on
    the LA reads it and can no longer change it (R17)."""
    self_assessment = _load(self_assessment)
    access = permissions.self_assessment_access(by, self_assessment, on=on)
    if self_assessment.is_submitted and access.of_the_la:
        raise _submitted_error(self_assessment)
    if not access.can_submit:
        raise PermissionDenied
    if revision != self_assessment.revision:
        raise SelfAssessmentConflict(base_revision=revision)
    content = fields.content_of(self_assessment)
    self_assessment_submit_check(template=self_assessment.template, content=content)
    now = timezone.now()
    with transaction.atomic():
        submitted = SelfAssessment.objects.filter(
            pk=self_assessment.pk, revision=revision, state=SelfAssessmentState.DRAFT
        ).update(
            state=SelfAssessmentState.SUBMITTED,
            signed_on=on,
            submitted_by=by,
            submitted_at=now,
            revision=F("revision") + 1,
            updated_by=by,
            updated_at=now,
        )
        if not submitted:
            raise SelfAssessmentConflict(base_revision=revision)
        _revision_record(
            self_assessment=self_assessment, number=revision + 1, content=content, by=by, at=now
        )
        after = _load(self_assessment)
        _log(
            before=self_assessment,
            after=after,
            fields_changed=["state", "signed_on", "submitted_by", "submitted_at", "revision"],
            by=by,
        )
    return after


# Delegation (R32) ----------------------------------------------------------------------


def self_assessment_delegate(
    *, self_assessment: SelfAssessment, person: User, by: User, on: datetime.date
) -> None:
    """Let ``person``, a colleague holding a post in the same LA on ``on``, write the
    draft: the DCS's choice (R32). ValidationError names why someone cannot be named."""
    self_assessment = _load(self_assessment)
    if not permissions.self_assessment_access(by, self_assessment, on=on).can_delegate:
        raise PermissionDenied
    la = self_assessment.local_authority
    theirs = permissions.self_assessment_access(person, self_assessment, on=on)
    if not theirs.post_kinds:
        raise ValidationError({"person": f"{person} holds no post in {la} today."})
    if theirs.writer_post:
        raise ValidationError(
            {"person": f"{person} writes the self-assessment already, through their post."}
        )
    if theirs.delegate:
        raise ValidationError({"person": f"{person} is already named."})
    object_grant(perm=permissions.SELF_ASSESSMENT_DELEGATE_PERM, person=person, obj=self_assessment)


def self_assessment_delegation_withdraw(
    *, self_assessment: SelfAssessment, person: User, by: User, on: datetime.date
) -> None:
    """Take back the DCS's delegation to ``person`` (R32): at once, draft or submitted."""
    self_assessment = _load(self_assessment)
    if not permissions.self_assessment_access(by, self_assessment, on=on).can_withdraw_delegation:
        raise PermissionDenied
    object_revoke(
        perm=permissions.SELF_ASSESSMENT_DELEGATE_PERM, person=person, obj=self_assessment
    )
