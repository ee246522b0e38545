"""The lists: /invitations/ and /clients/, searched and filtered from the query string (bookmarkable)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from invitations.forms.workspace import ClientFilterForm, InvitationFilterForm
from invitations.insights.exports import csv_lines, invitation_rows
from invitations.views.export import csv_response
from invitations.workspace import lists

PER_PAGE = 50


def _page(request, queryset):
    """The page asked for (?page=N; a bad number is the last or the first page), and the query
    string without `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page")), params.urlencode()


@login_required
def invitation_list(request):
    now = timezone.now()
    form = InvitationFilterForm(request.GET or None)
    page, query = _page(request, lists.invitations(request.user, form.filters(), now=now))
    return render(request, "invitations/invitation_list.html", {
        "form": form, "page": page, "query": query, "now": now, "filtered": form.is_bound and form.is_filtered(),
    })


@login_required
def invitation_export(request):
    """What /invitations/ shows, with the same query string, as CSV (every page, all time by default)."""
    form = InvitationFilterForm(request.GET or None)
    rows = lists.invitations(request.user, form.filters(), now=timezone.now())
    return csv_response(csv_lines(invitation_rows(rows, request.user.profile.zone)), "noghost-invitations.csv")


@login_required
def client_list(request):
    form = ClientFilterForm(request.GET or None)
    page, query = _page(request, lists.clients(request.user, form.filters()))
    return render(request, "invitations/client_list.html", {
        "form": form, "page": page, "query": query, "now": timezone.now(),
        "filtered": form.is_bound and form.is_filtered(),
    })
