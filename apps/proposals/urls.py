from django.urls import path

from apps.proposals.views import calls, evaluation, exports, proposals, selection

app_name = "proposals"
CITY = "c/<slug:slug>/calls/"
CALL = "calls/<int:pk>/"
PROPOSAL = "proposals/<int:pk>/"
urlpatterns = [
    # The call and the proponents' side (views/calls.py, views/proposals.py).
    path(CITY, calls.city_calls, name="calls"),
    path(CITY + "new/", calls.new_call, name="call-new"),
    path(CALL, calls.detail, name="call"),
    path(CALL + "edit/", calls.edit, name="call-edit"),
    path(CALL + "publish/", calls.publish, name="call-publish"),
    path(CALL + "history/", calls.history, name="history"),
    path(CALL + "propose/", proposals.new, name="proposal-new"),
    path("proposals/mine/", proposals.mine, name="mine"),
    path(PROPOSAL, proposals.dossier, name="proposal"),
    path(PROPOSAL + "edit/", proposals.edit, name="proposal-edit"),
    path(PROPOSAL + "submit/", proposals.submit, name="proposal-submit"),
    path(PROPOSAL + "withdraw/", proposals.withdraw, name="proposal-withdraw"),
    path(PROPOSAL + "attach/", proposals.attach, name="proposal-attach"),
    path(PROPOSAL + "files/<int:file_pk>/", proposals.attachment, name="attachment"),
    path(PROPOSAL + "screen/", proposals.screen, name="screen"),
    # Evaluation (views/evaluation.py).
    path(CALL + "evaluate/", evaluation.home, name="evaluate"),
    path(CALL + "evaluate/declare/", evaluation.declare, name="declare"),
    path(CALL + "evaluate/submit/", evaluation.submit, name="submit-scores"),
    path(CALL + "evaluate/progress/", evaluation.progress, name="progress"),
    path(PROPOSAL + "score/", evaluation.score, name="score"),
    path("scores/<int:pk>/correct/", evaluation.correct, name="correct-score"),
    # Ranking, shortlist and the funder's decision (views/selection.py).
    path(CALL + "ranking/", selection.ranking, name="ranking"),
    path(CALL + "weights/", selection.weights, name="weights"),
    path(CALL + "shortlist/", selection.shortlist, name="shortlist"),
    path(CALL + "review/", selection.review, name="review"),
    path(PROPOSAL + "decide/", selection.decide, name="decide"),
    path("decisions/<int:pk>/correct/", selection.correct, name="correct-decision"),
    # Exports (views/exports.py).
    path(CALL + "ranking.xlsx", exports.ranking_xlsx, name="ranking-xlsx"),
    path(CALL + "ranking.csv", exports.ranking_csv, name="ranking-csv"),
    path(CALL + "selection-report.pdf", exports.selection_report, name="selection-report"),
    path(PROPOSAL + "dossier.pdf", exports.dossier_pdf, name="dossier-pdf"),
]
