"""CSV downloads, filtered like the dashboard (period and platform from the query string)."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.utils import timezone

from invitations.insights import metrics
from invitations.insights.exports import analytics_rows, csv_lines, invitation_rows
from invitations.insights.filters import filters_from


def csv_response(lines, name):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_invitations(request):
    now = timezone.now()
    _, filters = filters_from(request)
    invitations = filters.invitations(request.user, now)
    return csv_response(
        csv_lines(invitation_rows(invitations, request.user.profile.zone)),
        f"noghost-invitations-{filters.days}d.csv",
    )


@login_required
def export_analytics(request):
    now = timezone.now()
    _, filters = filters_from(request)
    learned = metrics.learn(request.user, now, filters, request.user.profile.zone)
    return csv_response(csv_lines(analytics_rows(learned)), f"noghost-figures-{filters.days}d.csv")
