"""The names of the report's own words and their message ids in the catalogues.

Code labels (channels, reasons ...) come from the code book; these are the
headings, column names and notes around them, the reason groups and the
weekdays. The presenters name a word by its short name, often built from the
report's data (``f"{breakdown.key}_base"``, ``f"weekday.{code}"``); this table
names every message id literally, so that ``pybabel extract`` finds each one
and the catalogue test knows which are in use. The texts themselves are in
the catalogues (``ohjaus_tui.words``), one per language.
"""

from __future__ import annotations

from collections.abc import Mapping

from ohjaus_tui.words import N_

WORDS: Mapping[str, str] = {
    "title": N_("report.title"),
    "period": N_("report.period"),
    "so_far": N_("report.so_far"),
    "time_zone": N_("report.time_zone"),
    "contacts": N_("report.contacts"),
    "no_contacts": N_("report.no_contacts"),
    "suppressed": N_("report.suppressed"),
    "code": N_("report.code"),
    "count": N_("report.count"),
    "share": N_("report.share"),
    "not_recorded": N_("report.not_recorded"),
    "several_reasons": N_("report.several_reasons"),
    "channel": N_("report.channel"),
    "caller_type": N_("report.caller_type"),
    "reason": N_("report.reason"),
    "reason_group": N_("report.reason_group"),
    "referral": N_("report.referral"),
    "referral_mode": N_("report.referral_mode"),
    "referral_segment": N_("report.referral_segment"),
    "referral_mode_base": N_("report.referral_mode_base"),
    "referral_segment_base": N_("report.referral_segment_base"),
    "referral_service": N_("report.referral_service"),
    "segment": N_("report.segment"),
    "level": N_("report.level"),
    "identification": N_("report.identification"),
    "language": N_("report.language"),
    "flags": N_("report.flags"),
    "on_behalf": N_("report.on_behalf"),
    "resolved_first_contact": N_("report.resolved_first_contact"),
    "many_services": N_("report.many_services"),
    "reason_group.health": N_("report.reason_group.health"),
    "reason_group.social": N_("report.reason_group.social"),
    "reason_group.other": N_("report.reason_group.other"),
    "feedback": N_("report.feedback"),
    "responses": N_("report.responses"),
    "mean_score": N_("report.mean_score"),
    "helped": N_("report.helped"),
    "service_level": N_("report.service_level"),
    "offered": N_("report.offered"),
    "answered": N_("report.answered"),
    "abandoned": N_("report.abandoned"),
    "answered_share": N_("report.answered_share"),
    "median_wait": N_("report.median_wait"),
    "p90_wait": N_("report.p90_wait"),
    "callbacks.first_attempt": N_("report.callbacks.first_attempt"),
    "callbacks.by_due": N_("report.callbacks.by_due"),
    "messages.in_time": N_("report.messages.in_time"),
    "weekday_hour": N_("report.weekday_hour"),
    "weekday.mon": N_("report.weekday.mon"),
    "weekday.tue": N_("report.weekday.tue"),
    "weekday.wed": N_("report.weekday.wed"),
    "weekday.thu": N_("report.weekday.thu"),
    "weekday.fri": N_("report.weekday.fri"),
    "weekday.sat": N_("report.weekday.sat"),
    "weekday.sun": N_("report.weekday.sun"),
    "comparison": N_("report.comparison"),
    "current": N_("report.current"),
    "previous": N_("report.previous"),
    "change": N_("report.change"),
    "metric.contacts": N_("report.metric.contacts"),
    "metric.channel": N_("report.metric.channel"),
    "metric.referred": N_("report.metric.referred"),
    "metric.resolved_first_contact": N_("report.metric.resolved_first_contact"),
    "metric.feedback.mean_score": N_("report.metric.feedback.mean_score"),
    "metric.feedback.share_helped": N_("report.metric.feedback.share_helped"),
    "metric.answered": N_("report.metric.answered"),
    "metric.callbacks.first_attempt": N_("report.metric.callbacks.first_attempt"),
    "metric.callbacks.by_due": N_("report.metric.callbacks.by_due"),
    "metric.messages.in_time": N_("report.metric.messages.in_time"),
    "pp": N_("report.pp"),
}
