"""Answering a survey: links, autosave, section saves and the single submission."""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from panreflex.accounts.models import Organisation
from panreflex.lib.tabular import parse_number
from panreflex.lib.uploads import check_upload
from panreflex.places.models import Place

from .. import expressions
from ..formdef import FormDef
from ..models import Answer, Invitation, Item, Response, Survey, SurveyVersion
from . import autosave_sql as sql

_FORM_CACHE: dict[int, FormDef] = {}


def form_for(version: SurveyVersion) -> FormDef:
    """The loaded questionnaire; frozen versions never change, so they are cached per process."""
    if version.is_frozen:
        fd = _FORM_CACHE.get(version.pk)
        if fd is None or fd.version.frozen_at != version.frozen_at:
            fd = FormDef.load(version)
            _FORM_CACHE[version.pk] = fd
        return fd
    return FormDef.load(version)


def form_for_id(version_id: int, frozen_at) -> FormDef:
    """`form_for` when only the version's id and freezing time are at hand (autosave): no query
    while the cached form is current."""
    fd = _FORM_CACHE.get(version_id)
    if fd is not None and frozen_at is not None and fd.version.frozen_at == frozen_at:
        return fd
    return form_for(SurveyVersion.objects.get(pk=version_id))


class RespondError(Exception):
    """A precise reason why answering is not possible; `status` is the HTTP status the view uses."""

    def __init__(self, message: str, status: int = 400):
        self.message = message
        self.status = status
        super().__init__(message)


class AnswerError(ValueError):
    def __init__(self, message: str, item: Item | None = None):
        self.message = message
        self.item = item
        super().__init__(message)


@dataclass
class Link:
    survey: Survey
    invitation: Invitation | None
    response: Response | None
    created: bool = False  # the response was created by this request (it has no answers yet)


def resolve_token(token: str) -> Link:
    """Find what a respondent link points to. Forged tokens → RespondError(404)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise RespondError(_("This survey link is not valid. Please check that you copied the whole link."), 404)
    invitation = Invitation.objects.select_related("survey", "response__version").filter(token=token).order_by().first()
    if invitation is not None:  # with its response, if there is one yet (reverse one-to-one: one query)
        return Link(invitation.survey, invitation, getattr(invitation, "response", None))
    response = Response.objects.select_related("survey", "version").filter(token=token).order_by().first()
    if response is not None:
        return Link(response.survey, None, response)
    raise RespondError(_("This survey link is not valid. Please check that you copied the whole link."), 404)


def check_open(survey: Survey, *, now=None) -> None:
    now = now or timezone.now()
    if survey.status == Survey.Status.DRAFT:
        raise RespondError(_("This survey has not started yet."), 403)
    if survey.starts_at and now < survey.starts_at:
        raise RespondError(_("This survey starts on %(date)s.") % {"date": formats.date_format(timezone.localtime(survey.starts_at), "DATETIME_FORMAT")}, 403)
    if survey.status == Survey.Status.CLOSED or (survey.ends_at and now >= survey.ends_at):
        when = survey.ends_at or survey.updated_at
        raise RespondError(
            _("This survey closed on %(date)s; answers can no longer be saved.")
            % {"date": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")}, 410)


def check_not_submitted(link: Link) -> None:
    if link.invitation is not None and link.invitation.completed_at is not None:
        raise RespondError(
            _("This questionnaire was already submitted on %(date)s. It can be submitted only once.")
            % {"date": formats.date_format(timezone.localtime(link.invitation.completed_at), "DATETIME_FORMAT")}, 409)
    if link.response is not None and link.response.status == Response.Status.COMPLETE:
        raise RespondError(
            _("This questionnaire was already submitted on %(date)s. It can be submitted only once.")
            % {"date": formats.date_format(timezone.localtime(link.response.submitted_at), "DATETIME_FORMAT")}, 409)


def response_start(*, link: Link, now=None) -> Response:
    """The respondent's response, created on first visit (records `opened` on the invitation).
    The common case (the response exists) is read-only, so autosaves take no extra write lock."""
    now = now or timezone.now()
    check_open(link.survey, now=now)
    check_not_submitted(link)
    if link.response is not None:
        return link.response
    return _retrying(lambda: _response_create(link=link, now=now))


@transaction.atomic
def _response_create(*, link: Link, now) -> Response:
    from .questionnaire import fielded_version

    version = fielded_version(link.survey)
    if version is None:
        raise RespondError(_("This survey has not started yet."), 403)
    invitation = link.invitation
    place = None
    if invitation is not None:
        place_id = invitation.place_id or (
            Organisation.objects.filter(pk=invitation.organisation_id).values_list("place_id", flat=True).first()
            if invitation.organisation_id else None)
        place = Place.objects.defer("boundary").filter(pk=place_id).first() if place_id else None
    try:
        with transaction.atomic():  # one response per invitation (unique): a second tab opening at once loses
            response = Response.objects.create(
                survey=link.survey, version=version, invitation=invitation, place=place,
                size_class=place.size_class if place else "", state_code=place.state_code if place else "",
                started_at=now, is_demo=link.survey.is_demo,
            )
    except IntegrityError:
        if invitation is None:
            raise
        return Response.objects.select_related("version").get(invitation=invitation)
    if invitation is not None and invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now
    link.response = response
    link.created = True
    return response


def response_start_open(*, survey: Survey, now=None) -> Response:
    """A new response through the survey's open link (no invitation)."""
    return response_start(link=Link(survey, None, None), now=now)


# --- values -----------------------------------------------------------------------------------
def answer_value(item: Item, answer: Answer | None) -> Any:
    if answer is None:
        return None
    kind = item.kind
    if kind in (Item.Kind.MULTIPLE, Item.Kind.RANKING):
        return answer.code_list
    if kind in Item.NUMBER_KINDS:
        return answer.number
    if kind == Item.Kind.DATE:
        return answer.date
    if kind in (Item.Kind.TEXT, Item.Kind.LONGTEXT, Item.Kind.TIME, Item.Kind.DATETIME, Item.Kind.OTHER):
        return answer.text
    if kind == Item.Kind.RANGE:
        return answer.number
    if kind in Item.COMPUTED:
        return answer.number if answer.number is not None else answer.text
    if kind == Item.Kind.FILE:
        return answer.text if answer.file else None
    return answer.code


def answers_by_key(response: Response) -> dict[tuple[int, int], Answer]:
    return {(a.item_id, a.instance): a for a in response.answers.all()}


def values_for(fd: FormDef, answers: dict[tuple[int, int], Answer]) -> dict[str, Any]:
    """The answers by question name (first entry of repeats), with every calculation computed."""
    values: dict[str, Any] = {}
    for (item_id, instance), answer in answers.items():
        item = fd.by_id.get(item_id)
        if item is not None and instance == 0 and item.kind not in Item.COMPUTED:
            values[item.name] = answer_value(item, answer)
    return fd.with_calculations(values)


class Visibility(dict):
    """{item_id: shown}; `choices`: {item_id: codes a choice filter lets through}."""

    choices: dict[int, list[str]]

    def __init__(self, shown: dict, choices: dict | None = None):
        super().__init__(shown)
        self.choices = choices or {}


def _visibility(fd: FormDef, values: dict) -> Visibility:
    return Visibility(fd.visibility(values), fd.choice_state(fd.with_calculations(values)) if fd.filtered else None)


def field_name(item: Item, instance: int = 0) -> str:
    return f"q-{item.pk}-{instance}"


def _number_answer(raw, item):
    """The number a respondent typed (German or English notation), None when left empty."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return parse_number(raw)
    except ValueError as exc:
        raise AnswerError(_("“%(value)s” is not a number.") % {"value": raw[:30]}, item) from exc


def _number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)


def parse_answer(fd: FormDef, item: Item, data, files, instance: int = 0) -> dict | None:
    """Read one question's answer from POST data. Returns the answer fields, or None for "no answer".
    Raises AnswerError with a precise message for answers outside what the question allows."""
    key = field_name(item, instance)
    kind = item.kind
    codes = {c.name for c in fd.choices_for(item)}
    if kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
        code = (data.get(key) or "").strip()
        if not code:
            return None
        other = (data.get(f"{key}-other") or "").strip()
        if code == "other" and item.allow_other and "other" not in codes:
            if not other:
                raise AnswerError(_("Please say what “other” means."), item)
            return {"code": "other", "text": other[:1000]}
        if code not in codes:
            raise AnswerError(_("“%(value)s” is not one of the answer options.") % {"value": code[:50]}, item)
        return {"code": code}
    if kind == Item.Kind.MULTIPLE:
        chosen = [c.strip() for c in data.getlist(key) if c.strip()] if hasattr(data, "getlist") else list(data.get(key) or [])
        if not chosen:
            return None
        allowed = codes | ({"other"} if item.allow_other else set())
        bad = [c for c in chosen if c not in allowed]
        if bad:
            raise AnswerError(_("“%(value)s” is not one of the answer options.") % {"value": bad[0][:50]}, item)
        other = (data.get(f"{key}-other") or "").strip()
        if "other" in chosen and item.allow_other and "other" not in codes and not other:
            raise AnswerError(_("Please say what “other” means."), item)
        ordered = [c.name for c in fd.choices_for(item) if c.name in chosen] + (["other"] if "other" in chosen and "other" not in codes else [])
        return {"codes": " " + " ".join(ordered) + " ", "text": other[:1000] if "other" in chosen else ""}
    if kind == Item.Kind.RANKING:
        ranks: dict[str, int] = {}
        for choice in fd.choices_for(item):
            raw = (data.get(f"{key}-{choice.name}") or "").strip()
            if raw:
                try:
                    ranks[choice.name] = int(raw)
                except ValueError as exc:
                    raise AnswerError(_("“%(value)s” is not a rank.") % {"value": raw[:20]}, item) from exc
        if not ranks:
            return None
        n = len(codes)
        if any(r < 1 or r > n for r in ranks.values()):
            raise AnswerError(_("Ranks go from 1 to %(n)s.") % {"n": n}, item)
        if len(set(ranks.values())) != len(ranks):
            raise AnswerError(_("Each rank can be given only once."), item)
        ordered = sorted(ranks, key=lambda c: ranks[c])
        return {"codes": " " + " ".join(ordered) + " "}
    if kind in Item.NUMBER_KINDS:
        number = _number_answer(data.get(key), item)
        if number is None:
            return None
        if kind == Item.Kind.INTEGER and number != number.to_integral_value():
            raise AnswerError(_("Please enter a whole number."), item)
        if abs(number) >= Decimal("1e12"):
            raise AnswerError(_("The number is too large."), item)
        lo, hi = item.min_value, item.max_value
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            if lo is not None and hi is not None:
                msg = _("Please enter a number from %(min)s to %(max)s.") % {"min": _number_text(lo), "max": _number_text(hi)}
            elif lo is not None:
                msg = _("Please enter a number of at least %(min)s.") % {"min": _number_text(lo)}
            else:
                msg = _("Please enter a number of at most %(max)s.") % {"max": _number_text(hi)}
            raise AnswerError(msg, item)
        return {"number": number}
    if kind == Item.Kind.DATE:
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return {"date": dt.datetime.strptime(raw, fmt).date()}
            except ValueError:
                continue
        raise AnswerError(_("“%(value)s” is not a date (DD.MM.YYYY).") % {"value": raw[:30]}, item)
    if kind in (Item.Kind.TEXT, Item.Kind.LONGTEXT):
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        limit = 1000 if kind == Item.Kind.TEXT else 20000
        if len(raw) > limit:
            raise AnswerError(_("Please use at most %(n)s characters (now %(len)s).") % {"n": limit, "len": len(raw)}, item)
        return {"text": raw}
    if kind == Item.Kind.ACKNOWLEDGE:
        return {"code": "OK"} if (data.get(key) or "").strip() else None
    if kind == Item.Kind.RANGE:
        number = _number_answer(data.get(key), item)
        if number is None:
            return None
        lo = item.min_value if item.min_value is not None else Decimal(1)
        hi = item.max_value if item.max_value is not None else Decimal(10)
        step = parse_number(str((item.extra or {}).get("step") or "1"))
        if number < min(lo, hi) or number > max(lo, hi) or (step and (number - lo) % step != 0):
            raise AnswerError(_("Please choose a value from %(min)s to %(max)s in steps of %(step)s.")
                              % {"min": _number_text(lo), "max": _number_text(hi), "step": _number_text(step)}, item)
        return {"number": number}
    if kind in (Item.Kind.TIME, Item.Kind.DATETIME):
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        fmts = ("%H:%M", "%H:%M:%S") if kind == Item.Kind.TIME else ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M")
        for fmt in fmts:
            try:
                value = dt.datetime.strptime(raw, fmt)
            except ValueError:
                continue
            return {"text": value.strftime("%H:%M" if kind == Item.Kind.TIME else "%Y-%m-%dT%H:%M")}
        raise AnswerError(_("“%(value)s” is not a time (HH:MM).") % {"value": raw[:30]} if kind == Item.Kind.TIME
                          else _("“%(value)s” is not a date and time.") % {"value": raw[:30]}, item)
    if kind == Item.Kind.OTHER:
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        if len(raw) > 1000:
            raise AnswerError(_("Please use at most %(n)s characters (now %(len)s).") % {"n": 1000, "len": len(raw)}, item)
        return {"text": raw}
    if kind == Item.Kind.MUNICIPALITY:
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        place = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, ags=raw).first()
        if place is None:
            raise AnswerError(_("“%(value)s” is not a municipality of the list.") % {"value": raw[:30]}, item)
        return {"code": place.ags, "text": place.name}
    if kind == Item.Kind.FILE:
        upload = files.get(key) if files else None
        if upload is None:
            return None
        try:
            check_upload(upload)
        except ValidationError as exc:
            raise AnswerError(" ".join(exc.messages), item) from exc
        return {"file": upload, "text": upload.name[:200]}
    return None


def _check_choices(fd: FormDef, item: Item, fields: dict | None, values: dict) -> None:
    """A cascading select: the answer must be one of the choices its filter lets through now."""
    if not item.choice_filter or fields is None:
        return
    allowed = {c.name for c in fd.allowed_choices(item, fd.with_calculations(values))}
    chosen = [fields["code"]] if fields.get("code") else fields.get("codes", "").split()
    bad = [c for c in chosen if c not in allowed and c != "other"]
    if bad:
        raise AnswerError(_("“%(value)s” is not one of the answer options.") % {"value": bad[0][:50]}, item)


def _check_constraint(fd: FormDef, item: Item, fields: dict | None, values: dict) -> None:
    _check_choices(fd, item, fields, values)
    if not item.constraint or fields is None:
        return
    probe = Answer(**{k: v for k, v in fields.items() if k != "file"})
    current = answer_value(item, probe)
    try:
        ok = expressions.is_true(item.constraint, fd.with_calculations({**values, item.name: current}), current)
    except expressions.ExpressionError:
        ok = True
    if not ok:
        raise AnswerError(item.constraint_message or _("The answer does not meet the rule of this question."), item)


def _store(response_id: int, item: Item, instance: int, fields: dict | None) -> Answer | None:
    if fields is None:
        if item.kind != Item.Kind.FILE:  # a file answer is only replaced, never cleared by an empty post
            Answer.objects.filter(response_id=response_id, item=item, instance=instance).delete()
        return None
    values = {"code": "", "codes": "", "number": None, "date": None, "text": ""}
    values.update({k: v for k, v in fields.items() if k != "file"})
    if "file" not in fields:
        # one INSERT … ON CONFLICT DO UPDATE: no read first, no savepoint
        sql.upsert_answer(response_id=response_id, item_id=item.pk, instance=instance, **values)
        return Answer(response_id=response_id, item=item, instance=instance, **values)
    for attempt in range(2):
        try:
            with transaction.atomic():
                answer, _created = Answer.objects.update_or_create(
                    response_id=response_id, item=item, instance=instance, defaults=values
                )
            break
        except IntegrityError:
            if attempt:
                raise
    answer.file.save(fields["file"].name, fields["file"], save=True)
    return answer


def _writable(response: Response) -> None:
    check_open(response.survey)
    _check_not_complete(response)


def _check_not_complete(response: Response) -> None:
    if response.status == Response.Status.COMPLETE:
        raise RespondError(
            _("This questionnaire was already submitted on %(date)s. It can be submitted only once.")
            % {"date": formats.date_format(timezone.localtime(response.submitted_at), "DATETIME_FORMAT")}, 409)


_SQLITE_WRITES = threading.RLock()


@contextmanager
def _write_slot():
    """SQLite allows one writer: queue this process's writers on a lock instead of letting dozens of
    threads spin in SQLite's busy handler (which times out under load). A no-op on PostgreSQL."""
    if connection.vendor == "sqlite":
        with _SQLITE_WRITES:
            yield
    else:
        yield


def _retrying(func, attempts: int = 4):
    """Run a write transaction, retrying when SQLite reports a lock held by another process."""
    for attempt in range(attempts):
        try:
            with _write_slot():
                return func()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def answer_save(*, response: Response, item: Item, data, files=None, instance: int = 0) -> tuple[Answer | None, dict]:
    """Autosave of one question. Returns (answer or None, relevance of every item: {item_id: bool})."""
    check_open(response.survey)
    return _answer_save(form_for(response.version), response.pk, item, data, files, instance)


def _answer_save(fd: FormDef, response_id: int, item: Item, data, files, instance: int) -> tuple[Answer | None, dict]:
    if item.version_id != fd.version.pk or not item.is_question:
        raise AnswerError(_("This question does not belong to the questionnaire."))
    if item.read_only:
        raise AnswerError(_("This answer is filled in by the questionnaire and cannot be changed."), item)
    fields = parse_answer(fd, item, data, files, instance)  # validation before any lock is taken
    if instance < 0 or instance > 200 or (instance > 0 and fd.repeat_of(item) is None):
        raise AnswerError(_("This entry does not exist."), item)

    if connection.vendor == "postgresql" and not fd.dependencies and fields is not None and "file" not in fields:
        # the common case on PostgreSQL: no rules that read other answers, no file: one statement
        _check_constraint(fd, item, fields, {})
        if sql.upsert_answer_unless_submitted(response_id=response_id, item_id=item.pk, instance=instance, **fields):
            answer = Answer(response_id=response_id, item=item, instance=instance, **fields)
            return answer, _visibility(fd, {item.name: answer_value(item, answer)} if instance == 0 else {})
        # nothing stored: submitted or deleted meanwhile; the path below gives the precise message

    def write():
        with transaction.atomic():
            locked = sql.locked_response(response_id)
            if locked is None:  # deleted meanwhile (the survey with its responses)
                raise RespondError(_("This survey link is not valid. Please check that you copied the whole link."), 404)
            _check_not_complete(locked)
            values = rule_values(fd, response_id)
            _check_constraint(fd, item, fields, values)
            answer = _store(response_id, item, instance, fields)
        if instance == 0:
            values[item.name] = answer_value(item, answer)
        return answer, values

    answer, values = _retrying(write)
    return answer, _visibility(fd, values)


def rule_values(fd: FormDef, response_id: int) -> dict[str, Any]:
    """The stored answers (first entry) of the questions that skip logic and validation rules refer
    to: all that relevance and constraints need, without reading the whole response."""
    ids = [fd.by_name[name].pk for name in fd.dependencies if name in fd.by_name]
    if not ids:
        return {}
    answers = Answer.objects.filter(response_id=response_id, item_id__in=ids, instance=0).order_by()
    return values_for(fd, {(a.item_id, a.instance): a for a in answers})


def answer_autosave(*, token: str, item_id: int, instance: int, data, files=None) -> tuple[Answer | None, dict]:
    """Autosave of one answer through a respondent link — the hot path of fieldwork (one request per
    answer): the link's state in one query (`autosave_sql`), the questionnaire from the per-process
    cache of frozen versions, then a short transaction: the response's status re-read with its row
    locked, the answers rules refer to (only when the form has rules), one UPSERT. Raises RespondError
    (forged 404, not started 403, submitted 409, closed 410) or AnswerError."""
    token = (token or "").strip()
    state = sql.link_state(token) if token and len(token) <= 64 else None
    if state is None:  # unknown link, not opened yet, or submitted anonymously: the full path decides
        link = resolve_token(token)
        check_not_submitted(link)
        response = response_start(link=link)
        fd, response_id = form_for(response.version), response.pk
    else:
        check_not_submitted(Link(state.survey(), state.invitation(), state.response()))
        check_open(state.survey())
        fd, response_id = form_for_id(state.version_id, state.frozen_at), state.response_id
    item = fd.by_id.get(item_id)
    if item is None:
        raise AnswerError(_("This question does not belong to the questionnaire."))
    return _answer_save(fd, response_id, item, data, files, instance)


def section_save(*, response: Response, items: list[tuple[Item, int]], data, files=None) -> dict[int, str]:
    """Save every question of a page at once (the no-JS path). All or nothing: returns {item_id: error}
    and stores nothing when any answer is invalid."""
    return _retrying(lambda: _section_save(response=response, items=items, data=data, files=files))


def _section_save(*, response: Response, items: list[tuple[Item, int]], data, files=None) -> dict[int, str]:
    fd = form_for(response.version)
    errors: dict[int, str] = {}
    with transaction.atomic():
        locked = Response.objects.select_for_update(of=("self",)).select_related("survey").get(pk=response.pk)
        _writable(locked)
        values = values_for(fd, answers_by_key(locked))
        parsed = []
        for item, instance in items:
            if not item.is_question or item.read_only:
                continue
            try:
                fields = parse_answer(fd, item, data, files, instance)
                if instance == 0:
                    values[item.name] = answer_value(item, Answer(**{k: v for k, v in (fields or {}).items() if k != "file"})) if fields else None
                parsed.append((item, instance, fields))
            except AnswerError as exc:
                errors[item.pk] = exc.message
        values = fd.with_calculations(values)
        for item, _instance, fields in parsed:
            if item.pk in errors or not fd.is_relevant(item, values):
                continue
            try:
                _check_constraint(fd, item, fields, values)
            except AnswerError as exc:
                errors[item.pk] = exc.message
        if errors:
            transaction.set_rollback(True)
            return errors
        for item, instance, fields in parsed:
            if item.kind == Item.Kind.FILE and fields is None:
                continue  # no new file chosen: keep the stored one
            _store(locked.pk, item, instance, fields)
    return errors


def missing_required(fd: FormDef, response: Response, answers: dict[tuple[int, int], Answer]) -> list[Item]:
    values = values_for(fd, answers)
    missing = []
    for item in fd.items:
        if not item.is_question or item.read_only or not item.required or not fd.is_relevant(item, values):
            continue
        if fd.repeat_of(item) is not None:
            instances = {inst for (iid, inst) in answers if fd.by_id.get(iid) and fd.repeat_of(fd.by_id[iid]) == fd.repeat_of(item)}
            if any((item.pk, inst) not in answers for inst in instances):
                missing.append(item)
            continue
        if (item.pk, 0) not in answers:
            missing.append(item)
    return missing


def response_submit(*, response: Response, now=None) -> Response:
    """Submit once: required answers present, rules met; answers of hidden questions are removed;
    in anonymous mode the response loses its link to the invitation (and municipality)."""
    return _retrying(lambda: _response_submit(response=response, now=now))


@transaction.atomic
def _response_submit(*, response: Response, now=None) -> Response:
    now = now or timezone.now()
    locked = Response.objects.select_for_update(of=("self",)).select_related("survey", "invitation").get(pk=response.pk)
    check_open(locked.survey, now=now)
    _writable(locked)
    fd = form_for(locked.version)
    answers = answers_by_key(locked)
    missing = missing_required(fd, locked, answers)
    if missing:
        raise AnswerError(
            _("Please answer the required questions: %(names)s.") % {"names": "; ".join(i.label for i in missing[:10])},
            missing[0],
        )
    _fill_defaults(fd, locked, answers)
    values = values_for(fd, answers)
    hidden = [a.pk for (iid, _inst), a in answers.items() if fd.by_id.get(iid) is None or not fd.is_relevant(fd.by_id[iid], values)]
    if hidden:
        Answer.objects.filter(pk__in=hidden).delete()
        answers = {k: a for k, a in answers.items() if a.pk not in set(hidden)}
    _store_computed(fd, locked, answers, now)
    locked.status = Response.Status.COMPLETE
    locked.submitted_at = now
    invitation = locked.invitation
    update = ["status", "submitted_at", "updated_at"]
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(completed_at=now)
        if locked.survey.anonymous:
            locked.invitation = None
            locked.place = None
            update += ["invitation", "place"]
    locked.save(update_fields=update)
    return locked


def _fill_defaults(fd: FormDef, response: Response, answers: dict) -> None:
    """Unanswered questions with a `default` take it on submission (as ODK stores it)."""
    for item in fd.items:
        if not item.default or not item.is_question or fd.repeat_of(item) is not None or (item.pk, 0) in answers:
            continue
        try:
            fields = parse_answer(fd, item, {field_name(item): item.default}, None)
        except AnswerError:
            continue
        if fields is not None and "file" not in fields:
            answers[(item.pk, 0)] = _store(response.pk, item, 0, fields)


def computed_value_fields(value: Any) -> dict | None:
    """How a calculated value is stored: numbers in `number` (and `text`), everything else as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return {"text": "true" if value else "false"}
    number = expressions._as_number(value) if not isinstance(value, (dt.date, list, tuple)) else None
    text = expressions._as_text(value)[:1000]
    if number is not None and abs(number) < Decimal("1e12"):
        return {"number": number.quantize(Decimal("0.000001")) if number.as_tuple().exponent < -6 else number,
                "text": text}
    return {"text": text}


def _store_computed(fd: FormDef, response: Response, answers: dict, now) -> None:
    """On submission: the result of every calculation and hidden value (per entry inside repeats and
    loops) and the metadata the device would fill in (start, end, today) are stored with the answers."""
    values = values_for(fd, answers)
    for item in fd.items:
        if item.kind in Item.COMPUTED and fd.is_relevant(item, values):
            container = fd.repeat_of(item)
            instances = [0]
            if container is not None:
                instances = sorted({inst for (iid, inst) in answers if fd.by_id.get(iid) is not None
                                    and fd.repeat_of(fd.by_id[iid]) == container}) or [0]
            for inst in instances:
                local = values
                if inst:
                    local = dict(values)
                    for (iid, i), answer in answers.items():
                        other = fd.by_id.get(iid)
                        if i == inst and other is not None and fd.repeat_of(other) == container:
                            local[other.name] = answer_value(other, answer)
                    local = fd.with_calculations(local)
                value = local.get(item.name) if item.calculation else (item.default or None)
                _store(response.pk, item, inst, computed_value_fields(value))
        elif item.is_metadata:
            kind = (item.extra or {}).get("type")
            value = {"start": timezone.localtime(response.started_at).isoformat(timespec="seconds"),
                     "end": timezone.localtime(now).isoformat(timespec="seconds"),
                     "today": timezone.localdate(now).isoformat()}.get(kind)
            if value:
                _store(response.pk, item, 0, {"text": value})
