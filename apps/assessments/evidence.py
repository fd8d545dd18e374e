"""Climate analyses attached as evidence to a hazard's trend (see apps.climate)."""


def evidence_for_trends(request, trends):
    for trend in trends:
        trend.evidence_rows = []
