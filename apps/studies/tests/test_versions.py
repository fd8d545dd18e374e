"""Rounds of a sector study: a signed round never changes (the model refuses, whatever calls
it), editing after a sign-off makes round n+1 as a copy, and two rounds compare."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.assessments.models import RiskRating
from apps.dialogues.models import ItemKind
from apps.dialogues.tests.conftest import add_items, make_dialogue
from apps.studies.diff import compare, diff_text
from apps.studies.models import SectorStudy, StudyAttachment, StudyVersion
from apps.studies.tests.conftest import node

pytestmark = pytest.mark.django_db


def risk(assessment, hazard="flood", system="drainage"):
    return RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                     likelihood=4, consequence=4, justification_th="เหตุผล")


def signed_round(study, world, text="ท่อระบายน้ำรับได้ 50 มม."):
    version = study.versions.get(round=1)
    version.findings_th = text
    version.save()
    version.sign_off(world.user("expert"))
    return version


def test_sign_off_records_who_and_when(world, study):
    version = signed_round(study, world)
    version.refresh_from_db()
    assert version.status == "signed" and version.signed_by == world.user("expert")
    assert version.signed_at is not None
    with pytest.raises(ValidationError):
        version.sign_off(world.user("coordinator"))  # once only


def test_no_sign_off_without_findings(world, study):
    with pytest.raises(ValidationError) as error:
        study.versions.get(round=1).sign_off(world.user("expert"))
    assert "findings_th" in error.value.message_dict
    assert study.versions.get(round=1).status == "draft"


def test_a_signed_round_is_immutable_in_the_model(world, assessment, study):
    version = signed_round(study, world)
    stale = StudyVersion.objects.get(pk=version.pk)
    stale.findings_th = "แก้ไขแอบ ๆ"
    with pytest.raises(ValidationError):
        stale.save()
    rating, flood = risk(assessment), node(assessment, "hazard", "น้ำท่วม")
    # (Each in a savepoint: Django adds many-to-many rows inside the caller's transaction.)
    with transaction.atomic(), pytest.raises(ValidationError):
        stale.risks.add(rating)
    with transaction.atomic(), pytest.raises(ValidationError):
        stale.nodes.add(flood)
    with pytest.raises(ValidationError):
        stale.delete()
    attachment = StudyAttachment(version=stale, title="x", file="studies/x.pdf")
    with pytest.raises(ValidationError):
        attachment.save()
    version.refresh_from_db()
    assert version.findings_th == "ท่อระบายน้ำรับได้ 50 มม." and not version.risks.exists()


def test_editing_after_sign_off_makes_the_next_round_as_a_copy(world, assessment, study):
    rating = risk(assessment)
    flood = node(assessment, "hazard", "น้ำท่วม")
    first = study.versions.get(round=1)
    first.risks.add(rating)
    first.nodes.add(flood)
    signed_round(study, world)
    second = study.draft_for_edit(world.user("expert"))
    assert second.round == 2 and second.status == "draft"
    assert second.findings_th == "ท่อระบายน้ำรับได้ 50 มม."
    assert list(second.risks.all()) == [rating] and list(second.nodes.all()) == [flood]
    # The open draft is reused, not forked.
    assert study.draft_for_edit(world.user("coordinator")).pk == second.pk
    # And only one draft can exist, in the database too.
    with transaction.atomic(), pytest.raises(IntegrityError):
        StudyVersion.objects.create(study=study, round=3)
    assert study.latest.round == 2
    assert StudyVersion.objects.get(round=1, study=study).status == "signed"


def test_compare_shows_text_and_link_changes(world, assessment, study):
    kept, dropped, added = risk(assessment), risk(assessment, system="transport"), \
        risk(assessment, hazard="haze", system="health")
    first = study.versions.get(round=1)
    first.recommendations_th = "ขยายท่อ"
    first.save()
    first.risks.set([kept, dropped])
    signed_round(study, world, "ท่อรับฝนได้ 50 มม. ต่อวัน")
    second = study.draft_for_edit(None)
    second.findings_th = "ท่อรับฝนได้ 45 มม. ต่อวัน"
    second.save()
    second.risks.set([kept, added])
    result = compare(StudyVersion.objects.get(pk=first.pk), second)
    findings = dict(result["texts"])["findings"]
    assert findings.changed
    assert "<del>5</del><ins>4</ins>" in findings.html or (
        "<del>50</del><ins>45</ins>" in findings.html)
    assert not dict(result["texts"])["recommendations"].changed
    assert result["risks"].added == [added] and result["risks"].removed == [dropped]
    assert result["risks"].kept == [kept]


def test_thai_diff_never_splits_a_mark_from_its_letter():
    result = diff_text("น้ำท่วม", "น้ำท้วม")
    assert "<del>่</del>" not in result.html and "<del>ท่</del><ins>ท้</ins>" in result.html
    words = diff_text("enlarge the drains", "enlarge the main drains")
    assert "<ins>main </ins>" in words.html or "<ins> main</ins>" in words.html


def test_issue_must_be_a_strategic_issue_of_sld_2(world, assessment):
    from apps.plans.models import ActivityKind, PlanActivity

    # Activities 2 and 3 are SLDs: 3 is SLD 2.
    PlanActivity.objects.filter(plan=world.plan, number=2).update(kind=ActivityKind.SLD)
    sld2 = make_dialogue(world, number=3)
    issue, need = add_items(sld2, ItemKind.STRATEGIC_ISSUE, "การจัดการน้ำท่วม")[0], \
        add_items(sld2, ItemKind.NEED, "ระบบเตือนภัย")[0]
    study = SectorStudy(assessment=assessment, issue=issue, sector="drainage")
    study.full_clean()
    assert study.title_th == "การจัดการน้ำท่วม"  # the issue names the study
    with pytest.raises(ValidationError) as error:
        SectorStudy(assessment=assessment, issue=need, sector="drainage").full_clean()
    assert "issue" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        SectorStudy(assessment=assessment, sector="drainage").full_clean()
    assert "title_th" in error.value.message_dict
