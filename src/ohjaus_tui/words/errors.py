"""The services' refusals in words: any front end's, in any language with a catalogue.

A service raises :class:`~ohjaus_tui.errors.OhjausError` with an English
message (what the CLI prints) and, where a person at a front end can meet it,
a stable ``code`` with the values its wording names (``params``).
:func:`describe` words the code in a language; an error without a code, with
one not worded here, or lacking a value its wording names, is said in its
English message. A ``channel`` value is a channel's code and is shown by its
label; a ``what`` value is the message id of an action (``action.reports``),
said in the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from ohjaus_tui.words.roles import ROLE_NAMES
from ohjaus_tui.words.texts import N_, Texts


class CodedError(Protocol):
    """What :func:`describe` needs of an error (``OhjausError`` is one)."""

    @property
    def code(self) -> str | None: ...

    @property
    def params(self) -> Mapping[str, object]: ...


ERROR_MESSAGES: dict[str, str] = {
    # an error's code: the message id of its wording (the code itself, but where a
    # screen says the same in its own words)
    # --- sign-in ---
    "signin.wrong_pin": N_("signin.wrong_pin"),
    "signin.locked": N_("signin.locked"),
    "operator.deactivated": N_("operator.deactivated"),
    "operator.inactive": N_("operator.inactive"),
    "signon.both": N_("signin.both"),
    "signin.no_pin": N_("signin.no_pin"),
    "override.wrong_pin": N_("override.wrong_pin"),
    # --- the database (nothing of the step was stored; a screen keeps what was typed) ---
    "storage.busy": N_("storage.busy"),
    "storage.readonly": N_("storage.readonly"),
    "storage.full": N_("storage.full"),
    "storage.failing": N_("storage.failing"),
    "storage.unopenable": N_("storage.unopenable"),
    "storage.damaged": N_("storage.damaged"),
    "storage.gone": N_("storage.gone"),
    "storage.missing": N_("storage.missing"),
    "override.not_lead": N_("override.not_lead"),
    # --- the queue ---
    "queue.not_signed_on": N_("queue.not_signed_on"),
    "queue.no_item": N_("queue.no_item"),
    "claim.not_held": N_("claim.not_held"),
    "transfer.same": N_("transfer.same"),
    "transfer.no_number": N_("transfer.no_number"),
    "transfer.to_chat": N_("transfer.to_chat"),
    "callback.not_phone": N_("callback.not_phone"),
    # --- chats and messages ---
    "reply.empty": N_("reply.empty"),
    "reply.hetu": N_("reply.hetu"),
    "reply.phone": N_("reply.phone"),
    "identify.not_chat": N_("identify.not_chat"),
    "identify.already": N_("identify.already"),
    # --- correcting a logged contact ---
    "contact.not_found": N_("contact.not_found"),
    "contact.imported": N_("contact.imported"),
    "contact.not_yours": N_("contact.not_yours"),
    # --- the database: its address, schema, backups, copies, retention, the audit trail ---
    "backup.no_database": N_("backup.no_database"),
    "backup.target_folder": N_("backup.target_folder"),
    "backup.no_folder": N_("backup.no_folder"),
    "backup.is_database": N_("backup.is_database"),
    "backup.exists": N_("backup.exists"),
    "backup.no_schema": N_("backup.no_schema"),
    "backup.failed": N_("backup.failed"),
    "backup.copy_damaged": N_("backup.copy_damaged"),
    "backup.copy_revision": N_("backup.copy_revision"),
    "backup.restore_itself": N_("backup.restore_itself"),
    "backup.restore_holds_rows": N_("backup.restore_holds_rows"),
    "backup.restore_no_folder": N_("backup.restore_no_folder"),
    "backup.restore_failed": N_("backup.restore_failed"),
    "backup.restore_damaged": N_("backup.restore_damaged"),
    "backup.no_file": N_("backup.no_file"),
    "backup.unreadable": N_("backup.unreadable"),
    "backup.not_sqlite": N_("backup.not_sqlite"),
    "backup.no_revision": N_("backup.no_revision"),
    "backup.unknown_revision": N_("backup.unknown_revision"),
    "backup.unusable": N_("backup.unusable"),
    "backup.damaged": N_("backup.damaged"),
    "backup.in_memory": N_("backup.in_memory"),
    "backup.postgres": N_("backup.postgres"),
    "copy.source_behind": N_("copy.source_behind"),
    "copy.target_schema": N_("copy.target_schema"),
    "copy.source_in_memory": N_("copy.source_in_memory"),
    "copy.target_in_memory": N_("copy.target_in_memory"),
    "copy.same_database": N_("copy.same_database"),
    "copy.no_source": N_("copy.no_source"),
    "copy.target_unprepared": N_("copy.target_unprepared"),
    "copy.target_not_empty": N_("copy.target_not_empty"),
    "copy.counts_differ": N_("copy.counts_differ"),
    "copy.failed_at_table": N_("copy.failed_at_table"),
    "copy.failed": N_("copy.failed"),
    "database.url_empty": N_("database.url_empty"),
    "database.bad_url": N_("database.bad_url"),
    "database.unsupported": N_("database.unsupported"),
    "database.is_folder": N_("database.is_folder"),
    "database.no_folder": N_("database.no_folder"),
    "database.unreadable": N_("database.unreadable"),
    "database.not_sqlite": N_("database.not_sqlite"),
    "database.unusable": N_("database.unusable"),
    "database.unopenable": N_("database.unopenable"),
    "schema.foreign": N_("schema.foreign"),
    "schema.newer": N_("schema.newer"),
    "schema.broken_references": N_("schema.broken_references"),
    "schema.upgrade_failed": N_("schema.upgrade_failed"),
    "retention.bad_days": N_("retention.bad_days"),
    "audit.from_after_to": N_("audit.from_after_to"),
    "audit.broken": N_("audit.broken"),
    # --- people, roles, code lists, settings, the command line's own checks ---
    "operator.name_hetu": N_("operator.name_hetu"),
    "operator.os_user_hetu": N_("operator.os_user_hetu"),
    "operator.name_length": N_("operator.name_length"),
    "operator.no_way_in": N_("operator.no_way_in"),
    "operator.exists": N_("operator.exists"),
    "operator.keep_os_user": N_("operator.keep_os_user"),
    "operator.unknown": N_("operator.unknown"),
    "operator.not_active": N_("operator.not_active"),
    "operator.os_user_shape": N_("operator.os_user_shape"),
    "operator.os_user_taken": N_("operator.os_user_taken"),
    "operator.last_admin": N_("operator.last_admin"),
    "operator.no_pin_no_os_user": N_("operator.no_pin_no_os_user"),
    "operator.nothing_to_change": N_("operator.nothing_to_change"),
    # --- consultation within the pair ---
    "consult.question_empty": N_("consult.question_empty"),
    "consult.question_hetu": N_("consult.question_hetu"),
    "consult.answer_empty": N_("consult.answer_empty"),
    "consult.answer_hetu": N_("consult.answer_hetu"),
    "consult.too_long": N_("consult.too_long"),
    "consult.whom": N_("consult.whom"),
    "consult.not_held": N_("consult.not_held"),
    "consult.no_colleague": N_("consult.no_colleague"),
    "consult.profession_unknown": N_("consult.profession_unknown"),
    "consult.unknown": N_("consult.unknown"),
    "consult.settled": N_("consult.settled"),
    "consult.not_yours": N_("consult.not_yours"),
    "consult.not_joined": N_("consult.not_joined"),
    "pin.digits_only": N_("pin.digits_only"),
    "pin.length": N_("pin.length"),
    "pin.one_digit": N_("pin.one_digit"),
    "pin.not_given": N_("pin.not_given"),
    "pin.not_given_as": N_("pin.not_given_as"),
    "pin.mismatch": N_("pin.mismatch"),
    "actor.founding": N_("actor.founding"),
    "actor.stranger": N_("actor.stranger"),
    "actor.needs_role": N_("actor.needs_role"),
    "codes.unknown_list": N_("codes.unknown_list"),
    "codes.fixed_list": N_("codes.fixed_list"),
    "codes.code_hetu": N_("codes.code_hetu"),
    "codes.bad_code": N_("codes.bad_code"),
    "codes.empty_label": N_("codes.empty_label"),
    "codes.label_hetu": N_("codes.label_hetu"),
    "codes.bad_group": N_("codes.bad_group"),
    "codes.group_not_reason": N_("codes.group_not_reason"),
    "codes.exists": N_("codes.exists"),
    "codes.unknown_code": N_("codes.unknown_code"),
    "codes.builtin": N_("codes.builtin"),
    "settings.no_language": N_("settings.no_language"),
    "settings.bad": N_("settings.bad"),
    "settings.empty_db": N_("settings.empty_db"),
    "demo.os_user_taken": N_("demo.os_user_taken"),
    "cli.common.output_is_folder": N_("cli.common.output_is_folder"),
    "cli.common.output_no_folder": N_("cli.common.output_no_folder"),
    "cli.common.output_unwritable": N_("cli.common.output_unwritable"),
    "cli.common.write_failed": N_("cli.common.write_failed"),
    "override.reason_hetu": N_("text.hetu"),  # the workstation checks a reason first
    # --- files of contacts and requests, intake, the queue's commands, directory, periods ---
    "textfile.no_file": N_("textfile.no_file"),
    "textfile.unreadable": N_("textfile.unreadable"),
    "textfile.not_utf_text": N_("textfile.not_utf_text"),
    "textfile.no_header": N_("textfile.no_header"),
    "textfile.not_csv": N_("textfile.not_csv"),
    "contacts.folder": N_("contacts.folder"),
    "directory.folder": N_("directory.folder"),
    "contacts.rejected_one": N_("contacts.rejected_one"),
    "contacts.rejected": N_("contacts.rejected"),
    "contacts.empty": N_("contacts.empty"),
    "contacts.imported_already": N_("contacts.imported_already"),
    "contacts.invalid": N_("contacts.invalid"),
    "directory.rejected_one": N_("directory.rejected_one"),
    "directory.rejected": N_("directory.rejected"),
    "directory.empty": N_("directory.empty"),
    "directory.bad_json": N_("directory.bad_json"),
    "directory.not_a_list": N_("directory.not_a_list"),
    "directory.json_no_separator": N_("directory.json_no_separator"),
    "directory.json_extra_text": N_("directory.json_extra_text"),
    "directory.ptv_only": N_("cli.directory.ptv_only"),
    "ptv.rejected": N_("ptv.rejected"),
    "ptv.bad_classes": N_("ptv.bad_classes"),
    "ptv.no_documents": N_("ptv.no_documents"),
    "ptv.unknown_codes": N_("ptv.unknown_codes"),
    "ptv.no_services": N_("ptv.no_services"),
    "followup.bad_day": N_("followup.bad_day"),
    "followup.bad_window": N_("followup.bad_window"),
    "followup.past": N_("followup.past"),
    "followup.too_far": N_("followup.too_far"),
    "followup.note_hetu": N_("followup.note_hetu"),
    "followup.note_long": N_("followup.note_long"),
    "followup.no_item": N_("followup.no_item"),
    "followup.unknown_owner": N_("followup.unknown_owner"),
    "followup.no_number": N_("followup.no_number"),
    "followup.bad_number": N_("followup.bad_number"),
    "followup.unknown": N_("followup.unknown"),
    "followup.not_open": N_("followup.not_open"),
    "followup.being_handled": N_("followup.being_handled"),
    "intake.no_number": N_("intake.no_number"),
    "intake.bad_number": N_("intake.bad_number"),
    "intake.chat_closed": N_("intake.chat_closed"),
    "intake.no_chat": N_("intake.no_chat"),
    "intake.chat_ended": N_("intake.chat_ended"),
    "intake.bad_duration": N_("intake.bad_duration"),
    "intake.stdin_not_utf_text": N_("intake.stdin_not_utf_text"),
    "intake.no_file": N_("intake.no_file"),
    "intake.not_utf_text": N_("intake.not_utf_text"),
    "cli.report.bad_suppress_below": N_("cli.report.bad_suppress_below"),
    "cli.report.bad_top": N_("cli.report.bad_top"),
    "cli.report.excel_not_csv": N_("cli.report.excel_not_csv"),
    "report.html.target_not_html": N_("report.html.target_not_html"),
    "period.year_range": N_("period.year_range"),
    "period.month_form": N_("period.month_form"),
    "period.no_month": N_("period.no_month"),
    "period.week_form": N_("period.week_form"),
    "period.no_week": N_("period.no_week"),
    "period.year_form": N_("period.year_form"),
    "period.date_form": N_("period.date_form"),
    "period.no_day": N_("period.no_day"),
    "period.not_one": N_("period.not_one"),
    "period.to_alone": N_("period.to_alone"),
    "period.after_to": N_("period.after_to"),
    "period.after_today": N_("period.after_today"),
    "period.ends_before_start": N_("period.ends_before_start"),
    # --- the staffing calculator ---
    "staffing.not_a_share": N_("staffing.not_a_share"),
    "staffing.bad_traffic": N_("staffing.bad_traffic"),
    "staffing.too_much_traffic": N_("staffing.too_much_traffic"),
    # --- opening hours and exceptional days ---
    "hours.unknown_channel": N_("hours.unknown_channel"),
    "hours.bad_weekly": N_("hours.bad_weekly"),
    "hours.bad_range": N_("hours.bad_range"),
    "hours.closed_or_open": N_("hours.closed_or_open"),
    "hours.remove_and_set": N_("hours.remove_and_set"),
    "hours.span_backwards": N_("hours.span_backwards"),
    "hours.span_too_long": N_("hours.span_too_long"),
    "hours.reason_hetu": N_("hours.reason_hetu"),
    "hours.reason_too_long": N_("hours.reason_too_long"),
    "hours.no_csv": N_("hours.no_csv"),
    # --- canned answers ---
    "answers.unknown_language": N_("answers.unknown_language"),
    "answers.bad_key": N_("answers.bad_key"),
    "answers.empty_text": N_("answers.empty_text"),
    "answers.text_hetu": N_("answers.text_hetu"),
    "answers.text_too_long": N_("answers.text_too_long"),
    "answers.unknown_placeholder": N_("answers.unknown_placeholder"),
    "answers.not_found": N_("answers.not_found"),
    "answers.text_or_file": N_("answers.text_or_file"),
    "answers.file_is_folder": N_("answers.file_is_folder"),
    # --- the platforms' integrations (the API) ---
    "gateway.bad_name": N_("gateway.bad_name"),
    "gateway.name_too_long": N_("gateway.name_too_long"),
    "gateway.name_hetu": N_("gateway.name_hetu"),
    "gateway.bad_webhook": N_("gateway.bad_webhook"),
    "gateway.webhook_hetu": N_("gateway.webhook_hetu"),
    "gateway.name_taken": N_("gateway.name_taken"),
    "gateway.not_found": N_("gateway.not_found"),
    "gateway.already_revoked": N_("gateway.already_revoked"),
    # --- the identity proxy (identification delegated) ---
    "ident.bad_key": N_("error.ident.bad_key"),
    "ident.weak_key": N_("error.ident.weak_key"),
    "ident.key_kind": N_("error.ident.key_kind"),
    "ident.no_key_file": N_("error.ident.no_key_file"),
    "ident.bad_login_url": N_("error.ident.bad_login_url"),
    "ident.bad_text": N_("error.ident.bad_text"),
    "ident.hetu": N_("error.ident.hetu"),
    "ident.bad_minutes": N_("error.ident.bad_minutes"),
    # --- the resident's chat page ---
    "chatpage.bad_ref": N_("error.chatpage.bad_ref"),
    "chatpage.too_long": N_("error.chatpage.too_long"),
    "chatpage.no_chat": N_("error.chatpage.no_chat"),
    "chatpage.bad_score": N_("error.chatpage.bad_score"),
    "chatpage.feedback_too_long": N_("error.chatpage.feedback_too_long"),
    "chatpage.not_ended": N_("error.chatpage.not_ended"),
    "chatpage.feedback_given": N_("error.chatpage.feedback_given"),
    # --- the staffing plan ---
    "plan.people_form": N_("plan.people_form"),
    "plan.people_day": N_("plan.people_day"),
    "plan.bad_weeks": N_("plan.bad_weeks"),
    "plan.bad_targets": N_("plan.bad_targets"),
}


COMMAND_LINE_MESSAGES: dict[str, str] = {
    **ERROR_MESSAGES,
    # --as NAME may name no one: the command line does not say which was wrong
    "signin.wrong_pin": N_("cli.signin.wrong_pin"),
    # nothing was typed into a form: the command line says what was (not) changed
    "storage.busy": N_("cli.storage.busy"),
    "storage.readonly": N_("cli.storage.readonly"),
    "storage.full": N_("cli.storage.full"),
    "storage.failing": N_("cli.storage.failing"),
    "storage.unopenable": N_("cli.storage.unopenable"),
    "storage.damaged": N_("cli.storage.damaged"),
    "storage.gone": N_("cli.storage.gone"),
    "storage.missing": N_("cli.storage.missing"),
    "override.reason_hetu": N_("override.reason_hetu"),
}
"""The wordings the command line gives the codes: the workstation's, but where it says
something only true at a workstation."""


REASON_MESSAGES: dict[str, str] = {
    # why a cell, a line or a value of a file is refused: a reason's code, the message id
    # of its wording (``ohjaus_tui.domain.reasons``)
    # --- code lists ---
    "codebook.unknown_code": N_("codebook.unknown_code"),
    "codebook.retired_code": N_("codebook.retired_code"),
    # --- a contact's fields, a contacts file's cells and header ---
    "contacts.field.naive_time": N_("contacts.field.naive_time"),
    "contacts.field.future": N_("contacts.field.future"),
    "contacts.field.no_reason": N_("contacts.field.no_reason"),
    "contacts.field.reason_twice": N_("contacts.field.reason_twice"),
    "contacts.field.sign_unknown": N_("repeat.sign_unknown"),
    "contacts.field.sign_twice": N_("repeat.sign_twice"),
    "contacts.field.signs_without_flag": N_("repeat.signs_without_flag"),
    "contacts.field.not_referred_unrecorded": N_("contacts.field.not_referred_unrecorded"),
    "contacts.field.not_referred": N_("contacts.field.not_referred"),
    "contacts.field.service_unnamed": N_("contacts.field.service_unnamed"),
    "contacts.field.service_code_long": N_("contacts.field.service_code_long"),
    "contacts.field.bad_scale": N_("contacts.field.bad_scale"),
    "contacts.field.bad_score": N_("contacts.field.bad_score"),
    "contacts.field.scale_alone": N_("contacts.field.scale_alone"),
    "contacts.field.too_long": N_("contacts.field.too_long"),
    "contacts.field.hetu": N_("contacts.field.hetu"),
    "contacts.field.required": N_("contacts.field.required"),
    "contacts.field.score_not_number": N_("contacts.field.score_not_number"),
    "contacts.field.no_time": N_("contacts.field.no_time"),
    "contacts.field.not_instant": N_("contacts.field.not_instant"),
    "contacts.field.year_range": N_("contacts.field.year_range"),
    "contacts.field.not_flag": N_("contacts.field.not_flag"),
    "contacts.field.no_item": N_("contacts.field.no_item"),
    "contacts.field.no_service": N_("contacts.field.no_service"),
    "contacts.header.twice": N_("contacts.header.twice"),
    "contacts.header.missing": N_("contacts.header.missing"),
    "contacts.header.unknown_close": N_("contacts.header.unknown_close"),
    "contacts.header.unknown": N_("contacts.header.unknown"),
    # --- a text file's rows ---
    "textfile.row.width": N_("textfile.row.width"),
    # --- a directory file's header, keys, cells and rows ---
    "directory.header.no_name": N_("directory.header.no_name"),
    "directory.header.twice": N_("directory.header.twice"),
    "directory.header.missing": N_("directory.header.missing"),
    "directory.header.unknown_close": N_("directory.header.unknown_close"),
    "directory.header.unknown": N_("directory.header.unknown"),
    "directory.key.unknown_close": N_("directory.key.unknown_close"),
    "directory.key.unknown": N_("directory.key.unknown"),
    "directory.field.duplicate": N_("directory.field.duplicate"),
    "directory.field.hetu": N_("directory.field.hetu"),
    "directory.field.too_long": N_("directory.field.too_long"),
    "directory.field.required": N_("directory.field.required"),
    "directory.field.missing": N_("directory.field.missing"),
    "directory.field.bad_code": N_("directory.field.bad_code"),
    "directory.field.unknown_segment": N_("directory.field.unknown_segment"),
    "directory.field.unknown_provider": N_("directory.field.unknown_provider"),
    "directory.field.nul": N_("directory.field.nul"),
    "directory.field.surrogate": N_("directory.field.surrogate"),
    "directory.field.url_space": N_("directory.field.url_space"),
    "directory.field.url_unreadable": N_("directory.field.url_unreadable"),
    "directory.field.url_scheme": N_("directory.field.url_scheme"),
    "directory.field.url_no_host": N_("directory.field.url_no_host"),
    "directory.field.bad_email": N_("directory.field.bad_email"),
    "directory.json.not_object": N_("directory.json.not_object"),
    "directory.json.not_text": N_("directory.json.not_text"),
    "directory.json.true_false": N_("directory.json.true_false"),
    "directory.json.an_object": N_("directory.json.an_object"),
    "directory.json.a_list": N_("directory.json.a_list"),
    # --- a document of the national service catalogue (PTV) ---
    "ptv.doc.not_a_document": N_("ptv.doc.not_a_document"),
    "ptv.field.no_id": N_("ptv.field.no_id"),
    "ptv.field.bad_id": N_("ptv.field.bad_id"),
    "ptv.field.twice": N_("ptv.field.twice"),
    "ptv.field.no_name": N_("ptv.field.no_name"),
    "ptv.note.no_finnish_name": N_("ptv.note.no_finnish_name"),
    "ptv.note.many_municipalities": N_("ptv.note.many_municipalities"),
    "ptv.field.not_text": N_("ptv.field.not_text"),
    "ptv.field.not_a_list": N_("ptv.field.not_a_list"),
    "ptv.field.not_object": N_("ptv.field.not_object"),
    "ptv.field.hetu": N_("ptv.field.hetu"),
    "ptv.field.bad_class": N_("ptv.field.bad_class"),
    "ptv.field.bad_time": N_("ptv.field.bad_time"),
    "ptv.note.url_too_long": N_("ptv.note.url_too_long"),
    "ptv.doc.unreadable": N_("ptv.doc.unreadable"),
    "ptv.doc.not_utf8": N_("ptv.doc.not_utf8"),
    "ptv.doc.bad_json": N_("ptv.doc.bad_json"),
    "ptv.doc.bad_json_other": N_("ptv.doc.bad_json_other"),
    "ptv.json.null": N_("ptv.json.null"),
    "ptv.json.text": N_("ptv.json.text"),
    "ptv.json.number": N_("ptv.json.number"),
    # --- phone numbers ---
    "phone.empty": N_("phone.empty"),
    "phone.bad_characters": N_("phone.bad_characters"),
    "phone.invalid": N_("phone.invalid"),
    "phone.service_number": N_("phone.service_number"),
    "phone.free_number": N_("phone.free_number"),
    "phone.premium_number": N_("phone.premium_number"),
    "phone.shared_cost_number": N_("phone.shared_cost_number"),
    "phone.voip_number": N_("phone.voip_number"),
    "phone.forwarding_number": N_("phone.forwarding_number"),
    "phone.pager_number": N_("phone.pager_number"),
    "phone.voicemail_number": N_("phone.voicemail_number"),
    "phone.not_personal": N_("phone.not_personal"),
    "phone.stored_not_short": N_("phone.stored_not_short"),
    "phone.stored_not_e164": N_("phone.stored_not_e164"),
    # --- intake lines (JSON lines) ---
    "intake.line.instant_not_string": N_("intake.line.instant_not_string"),
    "intake.line.not_instant": N_("intake.line.not_instant"),
    "intake.line.year_range": N_("intake.line.year_range"),
    "intake.line.nul": N_("intake.line.nul"),
    "intake.line.surrogate": N_("intake.line.surrogate"),
    "intake.line.not_string": N_("intake.line.not_string"),
    "intake.line.too_long": N_("intake.line.too_long"),
    "intake.line.not_flag": N_("intake.line.not_flag"),
    "intake.line.no_external_id": N_("intake.line.no_external_id"),
    "intake.line.external_id_length": N_("intake.line.external_id_length"),
    "intake.line.external_id_hetu": N_("intake.line.external_id_hetu"),
    "intake.line.not_json": N_("intake.line.not_json"),
    "intake.line.number_too_long": N_("intake.line.number_too_long"),
    "intake.line.too_deep": N_("intake.line.too_deep"),
    "intake.line.not_object": N_("intake.line.not_object"),
    "intake.line.unknown_event": N_("intake.line.unknown_event"),
    "intake.line.unknown_field": N_("intake.line.unknown_field"),
    "intake.line.unknown_fields": N_("intake.line.unknown_fields"),
    "intake.line.no_text": N_("intake.line.no_text"),
    "intake.line.no_channel": N_("intake.line.no_channel"),
    "intake.line.unknown_channel": N_("intake.line.unknown_channel"),
    "intake.line.no_phone": N_("intake.line.no_phone"),
    "intake.line.unknown_language": N_("intake.line.unknown_language"),
    "intake.line.empty_message": N_("intake.line.empty_message"),
    # --- a service channel's hours in the national service catalogue (PTV) ---
    "svchours.ptv.not_list": N_("svchours.ptv.not_list"),
    "svchours.ptv.not_object": N_("svchours.ptv.not_object"),
    "svchours.ptv.not_text": N_("svchours.ptv.not_text"),
    "svchours.ptv.not_flag": N_("svchours.ptv.not_flag"),
    "svchours.ptv.bad_type": N_("svchours.ptv.bad_type"),
    "svchours.ptv.bad_time": N_("svchours.ptv.bad_time"),
    "svchours.ptv.bad_day": N_("svchours.ptv.bad_day"),
    "svchours.ptv.no_day": N_("svchours.ptv.no_day"),
    "svchours.ptv.bad_date": N_("svchours.ptv.bad_date"),
    "svchours.ptv.backwards": N_("svchours.ptv.backwards"),
}


COMMAND_LINE_REASONS: dict[str, str] = {**REASON_MESSAGES, **COMMAND_LINE_MESSAGES}
"""The command line's wordings of why a line of a file is refused: the domain's reason,
or a service's refusal of the line (an intake line's, by its error code)."""


def reason_in(reason: str, texts: Texts, *, wordings: Mapping[str, str] = REASON_MESSAGES) -> str:
    """Why a cell, a line or a value is refused, in ``texts``' language by the reason's
    ``code`` and ``params`` (a domain ``Reason``: a ``str``, its English) and ``wordings``
    (a code's message id); the English where it has no code, or one without a wording,
    or lacks a value the wording names."""
    message_id = wordings.get(getattr(reason, "code", None) or "")
    if message_id is None:
        return str(reason)
    return _said(texts, message_id, _worded(getattr(reason, "params", {}), texts), str(reason))


def describe(
    error: CodedError,
    language: str,
    label: Callable[[str, str], str],
    *,
    wordings: Mapping[str, str] = ERROR_MESSAGES,
) -> str:
    """``error`` in ``language`` (``label``: a code list's label of a code, in it), by
    ``wordings`` (a code's message id): the workstation's unless a front end has its own."""
    message_id = wordings.get(error.code or "")
    if message_id is None:
        return str(error)
    texts = Texts(language)
    values = {
        name: label("channel", str(value)) if name == "channel" else value
        for name, value in _worded(error.params, texts).items()
    }
    return _said(texts, message_id, values, str(error))


def _said(texts: Texts, message_id: str, values: Mapping[str, object], english: str) -> str:
    """The wording of ``message_id`` with ``values``; ``english`` where it names a value
    they lack."""
    try:
        return texts(message_id).format(**values)
    except (KeyError, IndexError):
        return english


def _worded(params: Mapping[str, object], texts: Texts) -> dict[str, object]:
    """``params`` with an action (``what``: a message id such as ``action.reports``,
    the words for what a role is needed for), roles (``role``, ``has``: a role's code)
    and a domain's reason (a phone number's, in a refusal of a request) said in
    ``texts``' language."""
    return {name: _worded_value(name, value, texts) for name, value in params.items()}


def _worded_value(name: str, value: object, texts: Texts) -> object:
    if not isinstance(value, str):
        return value
    if name == "what":
        return texts(value)
    if name in ("role", "has") and value in ROLE_NAMES:  # a role's code
        return texts(ROLE_NAMES[value])
    if getattr(value, "code", None) in REASON_MESSAGES:
        return reason_in(value, texts)
    return value


def in_english(error: CodedError) -> str:
    """The English message of an error raised by its code alone (``str(error)``)."""
    message_id = COMMAND_LINE_MESSAGES.get(error.code or "")
    if message_id is None:
        raise KeyError(f"no wording for the error code {error.code!r}")
    english = Texts("en")
    return english(message_id).format(**_worded(error.params, english))
