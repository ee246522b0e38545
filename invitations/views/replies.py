"""`/replies/<id>/answer/`: the user says whether a reply noticed in their mail accepted or declined."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from invitations.answers.noticed import settle
from invitations.models import NoticedReply


@login_required
@require_POST
def noticed_reply_answer(request, pk):
    """Record the answer (as sent by e-mail at the reply's time) and drop the question; back to the dashboard."""
    answer = request.POST.get("answer", "")
    try:
        invitation = settle(request.user, pk, answer)
    except NoticedReply.DoesNotExist:
        raise Http404("No such reply of yours waits for an answer.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dashboard")
    if invitation is None:
        messages.info(request, "That invitation was answered or withdrawn meanwhile; nothing more was recorded.")
    else:
        messages.success(request, f"Recorded: you {answer} “{invitation.display_title}” by e-mail.")
    return redirect("dashboard")
