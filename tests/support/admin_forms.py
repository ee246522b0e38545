"""POST data for the admin's invitation pages, as a browser would send it."""

import datetime as dt


def add_form(client_pk, **fields):
    """A valid POST for the admin's "add invitation" page, with `fields` changed."""
    data = {
        "client": client_pk, "title": "From the admin", "platform": "upwork", "status": "open", "notes": "",
        "received_at_0": "2026-11-20", "received_at_1": "08:00:00", "reply_by_0": "", "reply_by_1": "",
        "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0",
    }
    return {**data, **fields}


def change_form(invitation, **fields):
    """A POST for the admin's change page that keeps everything as it is, except `fields`.

    Times are typed in alice's zone (Berlin, UTC+1 in November), as the admin shows them.
    """
    def local(moment, name):
        if moment is None:
            return {f"{name}_0": "", f"{name}_1": ""}
        moment = moment + dt.timedelta(hours=1)
        return {f"{name}_0": f"{moment:%Y-%m-%d}", f"{name}_1": f"{moment:%H:%M:%S}"}

    data = {
        "client": invitation.client_id, "title": invitation.title, "platform": invitation.platform,
        "status": invitation.status, "notes": invitation.notes,
        **local(invitation.received_at, "received_at"), **local(invitation.reply_by, "reply_by"),
        **local(invitation.flagged_at, "flagged_at"),
    }
    followups = list(invitation.followups.all())
    data.update({"followups-TOTAL_FORMS": len(followups), "followups-INITIAL_FORMS": len(followups)})
    for n, followup in enumerate(followups):
        data.update({
            f"followups-{n}-id": followup.pk, f"followups-{n}-invitation": invitation.pk,
            f"followups-{n}-kind": followup.kind, f"followups-{n}-note": followup.note,
            **local(followup.due_at, f"followups-{n}-due_at"), **local(followup.done_at, f"followups-{n}-done_at"),
            **local(followup.snoozed_until, f"followups-{n}-snoozed_until"),
        })
    return {**data, **fields}
