"""Campaigns as officers see them: the list of clusters, one cluster's members, and acting on many at once."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from complaints.casework import campaigns
from complaints.core.database import parse_id
from complaints.core.forms import attach_error
from complaints.core.transaction import hold_write_lock, mark_failed, savepoint
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import Campaign
from complaints.officer.auth import client_address
from complaints.officer.blueprint import bp
from complaints.officer.campaign_forms import CampaignActionForm
from complaints.officer.permissions import Permission, require

PAGE = 50


@bp.get("/campaigns")
@require(Permission.VIEW_CASES)
def campaigns_page() -> str:
    """Campaigns newest first, fifty a page, with their members, open members and agent-filed members."""
    stmt = select(Campaign)
    before = parse_id(request.args.get("before"))
    if before is not None:
        stmt = stmt.where(Campaign.id < before)
    rows = list(db.session.scalars(stmt.order_by(Campaign.id.desc()).limit(PAGE + 1)))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    counts = campaigns.member_count([c.id for c in rows])
    next_url = url_for("officer.campaigns_page") + "?" + urlencode({"before": rows[-1].id}) if more else None
    return render_template("officer/campaigns.html", rows=rows, counts=counts, next_url=next_url)


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _render(campaign: Campaign, form: CampaignActionForm | None = None, status: int = 200) -> tuple[str, int]:
    members = campaigns.members(campaign)
    if form is None:
        form = CampaignActionForm(formdata=None)
    form.set_choices(members)
    return render_template("officer/campaign.html", campaign=campaign, members=members, form=form), status


@bp.get("/campaigns/<id:campaign_id>")
@require(Permission.VIEW_CASES)
def campaign_page(campaign_id: int) -> tuple[str, int]:
    """One campaign: every member, what tied it in, and the actions on several at once."""
    return _render(_campaign(campaign_id))


@bp.post("/campaigns/<id:campaign_id>")
@require(Permission.TRIAGE)
def campaign_act(campaign_id: int) -> ResponseReturnValue:
    """Judge the chosen members agent-filed, close them as duplicates of one, or split them off."""
    hold_write_lock()
    campaign = _campaign(campaign_id)
    form = CampaignActionForm()  # no choice is validated: the casework keeps to the campaign's members
    if form.validate():
        chosen = list(form.members.data or [])
        try:
            with savepoint():
                message = _run(campaign, form.action.data or "", chosen, form.original.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("officer.campaign_page", campaign_id=campaign.id), code=303)
    mark_failed()
    return _render(campaign, form, 422)


def _run(campaign: Campaign, action: str, chosen: list[int], original: int | None) -> str:
    """One bulk action; the flash message that says what it did."""
    by, address = current_user._get_current_object(), client_address()
    if action == "agent_filed":
        count = campaigns.mark_agent_filed(campaign, chosen, by=by, remote_addr=address)
        return ngettext(
            "%(num)d complaint judged filed by an agent.", "%(num)d complaints judged filed by an agent.", count
        )
    if action == "duplicates":
        if original is None:
            raise DomainError(_("Choose the complaint the others duplicate among the campaign's."), "original")
        closed, skipped = campaigns.close_as_duplicates(campaign, original, chosen, by=by, remote_addr=address)
        message = ngettext(
            "%(num)d complaint closed as a duplicate.", "%(num)d complaints closed as duplicates.", closed
        )
        if skipped:
            message += " " + ngettext(
                "%(num)d was already closed and stays as it was.",
                "%(num)d were already closed and stay as they were.",
                skipped,
            )
        return message
    count = campaigns.split_off(campaign, chosen, by=by, remote_addr=address)
    return ngettext("%(num)d complaint split off the campaign.", "%(num)d complaints split off the campaign.", count)
