"""The soak's audit: what the soak database must show after three workers, one killed, ran.

`TRIGGERS_SQL` is installed by the seeding child before any worker starts: triggers that log
every change of an invitation's `flagged_at` and of an e-mail's state, so that a flag set twice
or a mail claimed again leaves a trace even when the final rows look right. `check` reads the
rows and those logs once the workers have stopped (bench/soak.py's docstring lists what it
verifies) and returns the report.
"""

import datetime as dt

TRIGGERS_SQL = """
CREATE TABLE soak_flag_event (invitation_id bigint, old_value timestamptz, new_value timestamptz,
                              at timestamptz DEFAULT clock_timestamp());
CREATE FUNCTION soak_flag_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF NEW.flagged_at IS DISTINCT FROM OLD.flagged_at THEN
    INSERT INTO soak_flag_event (invitation_id, old_value, new_value) VALUES (NEW.id, OLD.flagged_at, NEW.flagged_at);
  END IF; RETURN NEW; END $$;
CREATE TRIGGER soak_flag_audit AFTER UPDATE ON invitations_invitation
  FOR EACH ROW EXECUTE FUNCTION soak_flag_audit();
CREATE TABLE soak_mail_event (email_id bigint, old_state text, new_state text, at timestamptz DEFAULT clock_timestamp());
CREATE FUNCTION soak_mail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state THEN
    INSERT INTO soak_mail_event (email_id, old_state, new_state) VALUES (NEW.id, OLD.state, NEW.state);
  END IF; RETURN NEW; END $$;
CREATE TRIGGER soak_mail_audit AFTER UPDATE ON invitations_outboundemail
  FOR EACH ROW EXECUTE FUNCTION soak_mail_audit();
"""


# Sweeps run concurrently: the heartbeat holds one of the last.
MARGIN = dt.timedelta(seconds=10)


def check(start, killed_at):
    """Read the soak database after the run; returns the report (see the module docstring)."""
    from django.db.models import Count

    from invitations.models import Digest, Heartbeat, Invitation, OutboundEmail

    last_sweep = Heartbeat.objects.get(job="sweep").last_run_at
    last_digest_run = Heartbeat.objects.get(job="digests").last_run_at
    killed = dt.datetime.fromisoformat(killed_at)
    flagged = Invitation.objects.exclude(flagged_at=None).count()
    problems = flag_problems(last_sweep, flagged)
    moments, nudges = nudges_by_owner()
    problems += nudge_problems(moments, nudges)
    problems += digest_problems(dt.datetime.fromisoformat(start))
    problems += followup_problems()
    problems += email_problems(killed, last_sweep, last_digest_run)

    emails = dict(OutboundEmail.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {
        "problems": problems,
        "invitations": Invitation.objects.count(),
        "flagged": flagged,
        "flag_moments": len({m for ms in moments.values() for m in ms}),
        "sweeps_after_kill": len(set(Invitation.objects.filter(flagged_at__gt=killed).values_list(
            "flagged_at", flat=True))),
        "nudges": sum(len(v) for v in nudges.values()),
        "users_nudged": len(nudges),
        "max_nudges_per_user": max((len(v) for v in nudges.values()), default=0),
        "digests": Digest.objects.count(),
        "digest_emails": OutboundEmail.objects.filter(kind=OutboundEmail.Kind.DIGEST).count(),
        "emails": emails,
        "last_sweep": last_sweep.isoformat(),
        "last_digest_run": last_digest_run.isoformat(),
        "killed_at": killed_at,
    }


def rows(sql, params=()):
    """The rows of a raw query (the trigger logs have no model)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def flag_problems(last_sweep, flagged):
    """Every overdue open invitation flagged by a sweep, each exactly once (the flag log proves it)."""
    from invitations.models import Invitation, Status

    problems = []
    missed = Invitation.objects.filter(status=Status.OPEN, flagged_at=None, reply_by__lte=last_sweep - MARGIN,
                                       created_at__lte=last_sweep - MARGIN).count()
    if missed:
        problems.append(f"{missed} overdue open invitation(s) never flagged")
    [(flag_events, flagged_twice, changed)] = rows(
        "SELECT count(*), count(*) - count(DISTINCT invitation_id), count(*) FILTER (WHERE old_value IS NOT NULL)"
        " FROM soak_flag_event")
    if flagged_twice or changed:
        problems.append(f"{flagged_twice} invitation(s) flagged more than once, {changed} flag(s) changed or reset")
    if flagged != flag_events:
        problems.append(f"{flagged} flagged rows but {flag_events} flag events")
    return problems


def nudges_by_owner():
    """({owner: the sweeps' moments that flagged something of theirs}, {owner: their nudges' creation times})."""
    from invitations.models import Invitation, OutboundEmail

    moments = {}
    for owner_id, flagged_at in Invitation.objects.exclude(flagged_at=None).filter(
            owner__profile__nudges_enabled=True).values_list("owner_id", "flagged_at").distinct():
        moments.setdefault(owner_id, set()).add(flagged_at)
    nudges = {}
    for owner_id, created_at in OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NUDGE).values_list(
            "owner_id", "created_at"):
        nudges.setdefault(owner_id, []).append(created_at)
    return moments, nudges


def nudge_problems(moments, nudges):
    """One nudge per (user, sweep that flagged something of theirs), dated with that sweep's `now`."""
    from invitations.models import OutboundEmail

    problems = []
    wrong = [owner for owner in set(moments) | set(nudges)
             if sorted(nudges.get(owner, [])) != sorted(moments.get(owner, ()))]
    if wrong:
        problems.append(f"{len(wrong)} user(s) whose nudges do not match their sweeps one to one")
    off = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NUDGE, owner__profile__nudges_enabled=False).count()
    if off:
        problems.append(f"{off} nudge(s) to users who turned nudges off")
    return problems


def digest_problems(start_moment):
    """One digest per (user, day), for exactly the users due one when the soak started."""
    from django.db.models import Count

    from invitations.models import Digest, OutboundEmail

    problems = []
    twice = Digest.objects.values("owner", "local_date").annotate(n=Count("pk")).filter(n__gt=1).count()
    if twice:
        problems.append(f"{twice} (user, day) pair(s) with more than one digest")
    digest_emails = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.DIGEST).values(
        "owner", "created_at__date").annotate(n=Count("pk")).filter(n__gt=1).count()
    due_missing, not_due_sent = digests_due_and_sent(start_moment)
    if due_missing or not_due_sent or digest_emails:
        problems.append(f"digests: {due_missing} due user(s) without one, {not_due_sent} not due with one, "
                        f"{digest_emails} user-day(s) with two digest e-mails")
    return problems


def digests_due_and_sent(start_moment):
    """(users due a digest at the start without one, users not due within the hour with one)."""
    from invitations.clock import local_date
    from invitations.models import Digest, Profile
    from invitations.reminders.digests import due_at

    claimed = set(Digest.objects.values_list("owner_id", "local_date"))
    due_missing = not_due_sent = 0
    for profile in Profile.objects.select_related("user"):
        day = (profile.user_id, local_date(start_moment, profile.zone))
        if profile.digest_enabled and due_at(profile, start_moment) <= start_moment:
            due_missing += day not in claimed
        elif not profile.digest_enabled or due_at(profile, start_moment) > start_moment + dt.timedelta(hours=1):
            not_due_sent += day in claimed
    return due_missing, not_due_sent


def followup_problems():
    """At most one open follow-up per (invitation, kind), as the partial unique constraint promises."""
    from django.db.models import Count

    from invitations.models import FollowUp

    duplicated = FollowUp.objects.filter(done_at=None, invitation__isnull=False).values(
        "invitation", "kind").annotate(n=Count("pk")).filter(n__gt=1).count()
    return [f"{duplicated} open follow-up(s) duplicated"] if duplicated else []


def email_problems(killed, last_sweep, last_digest_run):
    """No e-mail sent twice or claimed again, none stuck after the kill (the mail log proves it)."""
    from django.db.models import Q

    from invitations.models import OutboundEmail

    problems = []
    [(sent_twice, claimed_twice)] = rows(
        "SELECT coalesce(sum(s - 1) FILTER (WHERE s > 1), 0), coalesce(sum(c - 1 - f) FILTER (WHERE c > 1 + f), 0)"
        " FROM (SELECT email_id, count(*) FILTER (WHERE new_state = 'sent') s,"
        " count(*) FILTER (WHERE new_state = 'sending') c, count(*) FILTER (WHERE new_state = 'failed') f"
        " FROM soak_mail_event GROUP BY email_id) e")
    if sent_twice or claimed_twice:
        problems.append(f"{sent_twice} e-mail(s) sent twice, {claimed_twice} claimed again without a failure")
    late_sending = OutboundEmail.objects.filter(state=OutboundEmail.State.SENDING, claimed_at__gt=killed).count()
    if late_sending:
        problems.append(f"{late_sending} e-mail(s) left sending, claimed after the kill")
    # A nudge the kill left queued is sent by the next sweep, a digest by the next digest run,
    # once the killed worker's claim on it has lapsed (outbox.lease()): a short soak may end first.
    from invitations.mail.outbox import lease

    held_by_the_dead = Q(claimed_at__lte=killed, claimed_at__gt=min(last_sweep, last_digest_run) - lease()) & ~Q(
        claim_token="")
    left_queued = OutboundEmail.objects.filter(state=OutboundEmail.State.QUEUED).filter(
        Q(kind=OutboundEmail.Kind.NUDGE, created_at__lt=last_sweep - MARGIN)
        | Q(kind=OutboundEmail.Kind.DIGEST, created_at__lt=last_digest_run - MARGIN)).exclude(held_by_the_dead).count()
    if left_queued:
        problems.append(f"{left_queued} e-mail(s) still queued though a later run of their job ran")
    return problems
