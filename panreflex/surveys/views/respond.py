"""Respondents answer without an account, through their personal (or the open) link.

Every question autosaves through `autosave` (fetch from respond.js); without JavaScript each page is
posted as a whole. The link resumes the questionnaire on any device until it is submitted once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts.policy import TOKEN, loads
from panreflex.lib.pdf import render_pdf
from panreflex.places.models import Place

from .. import expressions
from ..formdef import FormDef
from ..models import Answer, Item, Response, Survey, questionnaire_language
from ..services import answers as svc
from ..threads import autosave_threads, page_threads

_MUNICIPALITIES: list[tuple[str, str]] = []


def municipality_options() -> list[tuple[str, str]]:
    if not _MUNICIPALITIES:
        _MUNICIPALITIES.extend(
            Place.objects.filter(kind=Place.Kind.MUNICIPALITY).order_by("name").values_list("ags", "name")
        )
    return _MUNICIPALITIES


@dataclass
class QuestionView:
    item: Item
    instance: int
    visible: bool
    choices: list = field(default_factory=list)
    answer: Answer | None = None
    error: str = ""
    number_text: str = ""
    selected: list[str] = field(default_factory=list)
    ranks: dict[str, int] = field(default_factory=dict)
    hidden_choices: set[int] = field(default_factory=set)  # positions a choice filter does not let through now
    label: str = ""
    date_default: str = ""

    @property
    def field(self) -> str:
        return svc.field_name(self.item, self.instance)

    @property
    def widget(self) -> str:
        return self.item.kind

    @property
    def code(self) -> str:
        return self.answer.code if self.answer else ""

    @property
    def text(self) -> str:
        return self.answer.text if self.answer else ""

    @property
    def date_iso(self) -> str:
        return self.answer.date.isoformat() if self.answer and self.answer.date else self.date_default

    @property
    def input_type(self) -> str:
        return {Item.Kind.TIME: "time", Item.Kind.DATETIME: "datetime-local"}.get(self.item.kind, "text")

    @property
    def rank_range(self) -> list[int]:
        return list(range(1, len(self.choices) + 1))

    @property
    def municipalities(self):
        return municipality_options() if self.item.kind == Item.Kind.MUNICIPALITY else []


@dataclass
class Node:
    type: str  # open | close | question | matrix | add
    item: Item | None = None
    question: QuestionView | None = None
    rows: list[QuestionView] = field(default_factory=list)
    choices: list = field(default_factory=list)
    title: str = ""
    visible: bool = True
    instance: int = 0


@dataclass
class PageView:
    index: int
    title: str
    nodes: list[Node]
    inputs: list[tuple[Item, int]]


def _question_view(fd: FormDef, item: Item, instance: int, answers, values, seed: int, errors: dict) -> QuestionView:
    answer = answers.get((item.pk, instance))
    choices = fd.ordered_choices(item, seed)
    qv = QuestionView(item=item, instance=instance, visible=fd.is_relevant(item, values),
                      choices=choices, answer=answer, error=errors.get((item.pk, instance), ""))
    if item.choice_filter:
        allowed = {id(c) for c in fd.allowed_choices(item, values, choices)}
        qv.hidden_choices = {c.position for c in choices if id(c) not in allowed}
    qv.label = pipe(item.label, values)
    if answer is None and (item.default or (item.read_only and item.calculation)):
        value = values.get(item.name) if item.calculation else item.default
        shown = "" if value is None else expressions._as_text(value)
        qv.answer = answer = Answer(item=item, instance=instance, code=shown, text=shown,
                                    codes=f" {shown} " if shown else "")
        if item.kind in Item.NUMBER_KINDS or item.kind == Item.Kind.RANGE:
            qv.number_text = shown
        if item.kind == Item.Kind.DATE:
            qv.answer = answer = None
            qv.date_default = shown
    if answer is not None:
        if answer.number is not None:
            qv.number_text = formats.number_format(answer.number.normalize() if answer.number == answer.number.to_integral() else answer.number.normalize())
        qv.selected = answer.code_list
        if item.kind == Item.Kind.RANKING:
            qv.ranks = {code: i + 1 for i, code in enumerate(answer.code_list)}
    return qv


def build_pages(fd: FormDef, *, response: Response | None, answers: dict, seed: int, errors: dict | None = None,
                extra: dict[int, int] | None = None) -> list[PageView]:
    errors = errors or {}
    extra = extra or {}
    values = svc.values_for(fd, answers)
    pages = []

    def emit(item: Item, nodes: list[Node], inputs: list, instance: int):
        visible = fd.is_relevant(item, values)
        if item.kind == Item.Kind.GROUP:
            nodes.append(Node("open", item, title=item.label, visible=visible))
            for kid in fd.ordered_kids(item, seed):
                emit(kid, nodes, inputs, instance)
            nodes.append(Node("close", item))
        elif item.kind == Item.Kind.REPEAT:
            saved = {inst for (iid, inst) in answers if fd.by_id.get(iid) is not None and fd.repeat_of(fd.by_id[iid]) == item}
            fixed = item.repeat_count
            if not fixed and (item.extra or {}).get("count"):  # repeat_count as a formula (${n})
                number = expressions._as_number(expressions.value_of(item.extra["count"], values))
                fixed = max(0, min(int(number), 50)) if number is not None else None
            count = max(fixed or 1, (max(saved) + 1) if saved else 0) + extra.get(item.pk, 0)
            count = min(count, 50)
            nodes.append(Node("open", item, title=item.label, visible=visible))
            for inst in range(count):
                nodes.append(Node("open", item, title=_("Entry %(n)s") % {"n": inst + 1}, visible=True, instance=inst))
                for kid in fd.ordered_kids(item, seed):
                    emit(kid, nodes, inputs, inst)
                nodes.append(Node("close", item))
            if not fixed:
                nodes.append(Node("add", item, instance=count))
            nodes.append(Node("close", item))
        elif item.kind == Item.Kind.LOOP:
            nodes.append(Node("open", item, title=pipe(item.label, values), visible=visible))
            for inst, choice in enumerate(fd.choices_for(item)):
                nodes.append(Node("open", item, title=choice.label, visible=True, instance=inst))
                for kid in fd.ordered_kids(item, seed):
                    emit(kid, nodes, inputs, inst)
                nodes.append(Node("close", item))
            nodes.append(Node("close", item))
        elif item.kind == Item.Kind.MATRIX:
            rows = [_question_view(fd, kid, instance, answers, values, seed, errors) for kid in fd.ordered_kids(item, seed)]
            inputs.extend((r.item, instance) for r in rows)
            nodes.append(Node("matrix", item, rows=rows, choices=rows[0].choices if rows else [], title=item.label,
                              visible=visible))
        else:
            if item.kind in Item.COMPUTED or item.is_metadata:
                return  # calculated or filled in on submission, never asked
            qv = _question_view(fd, item, instance, answers, values, seed, errors)
            if item.is_question and not item.read_only:
                inputs.append((item, instance))
            nodes.append(Node("question", item, question=qv, visible=qv.visible))

    for page in fd.pages():
        nodes: list[Node] = []
        inputs: list[tuple[Item, int]] = []
        for item in page.items:
            emit(item, nodes, inputs, 0)
        pages.append(PageView(page.index, page.title, nodes, inputs))
    return pages


REF = re.compile(r"\$\{\s*([^\s}]+)\s*\}")


def pipe(text: str, values: dict) -> str:
    """Label piping: `${name}` in a wording shows that answer (or calculation) as text."""
    if "${" not in (text or ""):
        return text
    return REF.sub(lambda m: expressions._as_text(values.get(m.group(1))), text)


def summary(fd: FormDef, answers: dict) -> list[tuple[str, str]]:
    """(question, answer as text) for everything answered, in questionnaire order."""
    values = svc.values_for(fd, answers)
    out = []
    for item in fd.items:
        if not item.is_question or not fd.is_relevant(item, values):
            continue
        instances = sorted(inst for (iid, inst) in answers if iid == item.pk)
        for inst in instances:
            answer = answers[(item.pk, inst)]
            container = fd.repeat_of(item)
            if container is not None and container.kind == Item.Kind.LOOP:
                loop_choices = fd.choices_for(container)
                label = item.label + (f" ({loop_choices[inst].label})" if inst < len(loop_choices) else "")
            else:
                label = item.label + (f" ({_('entry')} {inst + 1})" if container else "")
            out.append((label, display_value(fd, item, answer)))
    return out


def display_value(fd: FormDef, item: Item, answer: Answer) -> str:
    kind = item.kind
    if kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
        if answer.code == "other":
            return f"{_('Other')}: {answer.text}"
        return fd.choice_label(item, answer.code)
    if kind == Item.Kind.MULTIPLE:
        parts = [fd.choice_label(item, c) if c != "other" else f"{_('Other')}: {answer.text}" for c in answer.code_list]
        return "; ".join(parts)
    if kind == Item.Kind.RANKING:
        return "; ".join(f"{i}. {fd.choice_label(item, c)}" for i, c in enumerate(answer.code_list, start=1))
    if kind in Item.NUMBER_KINDS:
        text = formats.number_format(answer.number.normalize()) if answer.number is not None else ""
        return f"{text} {item.unit}".strip()
    if kind == Item.Kind.DATE:
        return formats.date_format(answer.date, "SHORT_DATE_FORMAT") if answer.date else ""
    if kind == Item.Kind.MUNICIPALITY:
        return answer.text or answer.code
    if kind == Item.Kind.RANGE:
        return formats.number_format(answer.number.normalize()) if answer.number is not None else ""
    if kind == Item.Kind.ACKNOWLEDGE:
        return _("Acknowledged") if answer.code else ""
    return answer.text


def _message(request, error: svc.RespondError, survey: Survey | None = None, token: str = ""):
    confirm_url = ""
    if token and request.session.get("surveys_confirmed", {}).get(token):
        confirm_url = reverse("surveys:confirmation", kwargs={"token": token})
    return render(request, "surveys/respond_message.html",
                  {"message": error.message, "survey": survey, "confirm_url": confirm_url}, status=error.status)


def _open(request, token):
    """(link, response) or an HttpResponse with the precise reason."""
    try:
        link = svc.resolve_token(token)
        svc.check_not_submitted(link)
        svc.check_open(link.survey)
        response = svc.response_start(link=link)
    except svc.RespondError as exc:
        survey = None
        try:
            survey = svc.resolve_token(token).survey
        except svc.RespondError:
            pass
        if exc.status == 409 and survey is not None:
            link = svc.resolve_token(token)
            if link.response is not None or request.session.get("surveys_confirmed", {}).get(token):
                return None, None, redirect("surveys:confirmation", token=token)
        return None, None, _message(request, exc, survey, token)
    return link, response, None


def _page_number(request, n_pages: int) -> int:
    try:
        number = int(request.GET.get("seite") or request.POST.get("seite") or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(n_pages, 1))


def _extra(request) -> dict[int, int]:
    extra = {}
    for part in request.GET.getlist("mehr"):
        try:
            pk, n = part.split(":")
            extra[int(pk)] = min(int(n), 20)
        except ValueError:
            continue
    return extra


@loads(token=TOKEN)
async def respond(request, token):
    """The questionnaire, page by page (and the page post without JavaScript). Async only to run on
    the respondent pages' own threads (see `surveys.threads`); the work itself is `_respond`."""
    return await page_threads.run(_respond, request, token)


LANG_COOKIE = "befragung_sprache"
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Za-z]{4})?$")


def questionnaire_language_for(request, version) -> str:
    """The questionnaire language: picked (`?sprache=tr`, then remembered in a cookie), else the
    interface language if the form has it, else the form's first language."""
    codes = version.language_codes
    wanted = request.GET.get("sprache") or request.COOKIES.get(LANG_COOKIE, "")
    if wanted in codes:
        return wanted
    ui = (get_language() or "de")[:2]
    return ui if ui in codes else (codes[0] if codes else ui)


def in_questionnaire_language(request, version, build):
    """Run `build(context)` (which renders) with the respondent's questionnaire language active."""
    lang = questionnaire_language_for(request, version)
    context = {"q_lang": lang, "q_lang_tag": lang if LANG_TAG.match(lang) else "",
               "q_languages": version.language_names() if len(version.language_codes) > 1 else []}
    reset = questionnaire_language.set(lang)
    try:
        response = build(context)
    finally:
        questionnaire_language.reset(reset)
    if request.GET.get("sprache") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _respond(request, token):
    link, response, early = _open(request, token)
    if early is not None:
        return early
    return in_questionnaire_language(request, response.version,
                                     lambda ctx: _respond_page(request, token, link, response, ctx))


def _respond_page(request, token, link, response, lang_context):
    fd = svc.form_for(response.version)
    answers = {} if link.created else svc.answers_by_key(response)
    errors: dict = {}
    extra = _extra(request)
    pages = build_pages(fd, response=response, answers=answers, seed=response.pk, extra=extra)
    number = _page_number(request, len(pages))
    status = 200
    if request.method == "POST":
        page = pages[number - 1]
        before_hidden = {(i.pk, inst) for i, inst in page.inputs if not fd.is_relevant(i, svc.values_for(fd, answers))}
        try:
            item_errors = svc.section_save(response=response, items=page.inputs, data=request.POST, files=request.FILES)
        except svc.RespondError as exc:
            return _message(request, exc, link.survey, token)
        if item_errors:
            errors = {(pk, inst): msg for pk, msg in item_errors.items() for (i, inst) in page.inputs if i.pk == pk}
            status = 400
        else:
            answers = svc.answers_by_key(response)
            values = svc.values_for(fd, answers)
            appeared = [i for i, inst in page.inputs if (i.pk, inst) in before_hidden and fd.is_relevant(i, values)
                        and (i.pk, inst) not in answers]
            url = reverse("surveys:respond", kwargs={"token": token})
            add = request.POST.get("add_entry")
            if add:
                messages.info(request, _("A further entry was added."))
                key = f"{add}:{extra.get(int(add), 0) + 1}" if add.isdigit() else ""
                return redirect(f"{url}?seite={number}&mehr={key}#item-{add}")
            if appeared:
                messages.info(request, _("Saved. Your answers opened further questions on this page."))
                return redirect(f"{url}?seite={number}")
            messages.success(request, _("Your answers on this page were saved."))
            if request.POST.get("nav") == "back" and number > 1:
                return redirect(f"{url}?seite={number - 1}")
            if request.POST.get("nav") == "stay":
                return redirect(f"{url}?seite={number}")
            if number < len(pages):
                return redirect(f"{url}?seite={number + 1}")
            return redirect("surveys:submit", token=token)
        pages = build_pages(fd, response=response, answers=answers, seed=response.pk, errors=errors, extra=extra)
    page = pages[number - 1] if pages else None
    blank = page is not None and not answers and not errors and not extra
    return render(request, "surveys/respond.html", {
        "survey": link.survey, "response": response, "page": page, "number": number, "n_pages": len(pages),
        "token": token, "errors": errors, "is_first": number == 1, "is_last": number == len(pages),
        "resume_url": request.build_absolute_uri(reverse("surveys:respond", kwargs={"token": token})),
        "nodes_html": blank_page_html(fd, page) if blank else None, **lang_context,
    }, status=status)


_BLANK_PAGES: dict[tuple, str] = {}


def blank_page_html(fd: FormDef, page: PageView) -> str | None:
    """The questions of a page for a response without any answer. For a frozen questionnaire without
    random order on the page that HTML is the same for every respondent (no answers, no errors, skip
    logic evaluated on nothing), so it is rendered once per process and language — what hundreds of
    respondents opening their links at once all need. None where that does not hold."""
    if not fd.version.is_frozen or _randomized(fd, fd.pages()[page.index].items):
        return None
    key = (fd.version.pk, fd.version.frozen_at, page.index, get_language(), questionnaire_language.get())
    html = _BLANK_PAGES.get(key)
    if html is None:
        html = _BLANK_PAGES[key] = render_to_string("surveys/_nodes.html", {"page": page, "disabled": False})
    return html


def _randomized(fd: FormDef, items: list[Item]) -> bool:
    return any(item.randomize or _randomized(fd, fd.kids(item)) for item in items)


@require_POST
@loads(token=TOKEN)
async def autosave(request, token):
    """Autosave of one answer (fetch from respond.js). Async only to run the work on threads that keep
    their database connection (see `surveys.threads`); the work itself is `_autosave`."""
    return await autosave_threads.run(_autosave, request, token)


def _autosave(request, token):
    try:
        item_id = int(request.POST.get("item", "0") or 0)
        instance = int(request.POST.get("instance", "0") or 0)
        _answer, visible = svc.answer_autosave(token=token, item_id=item_id, instance=instance,
                                               data=request.POST, files=request.FILES)
    except svc.RespondError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=exc.status)
    except svc.AnswerError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    except ValueError:
        return JsonResponse({"ok": False, "error": _("The request is not valid.")}, status=400)
    now = formats.time_format(timezone.localtime(), "H:i")
    payload = {"ok": True, "message": _("Saved at %(time)s") % {"time": now},
               "visible": {str(k): v for k, v in visible.items()}}
    if getattr(visible, "choices", None):
        payload["choices"] = {str(k): v for k, v in visible.choices.items()}
    return JsonResponse(payload)


@loads(token=TOKEN)
def submit(request, token):
    link, response, early = _open(request, token)
    if early is not None:
        return early
    return in_questionnaire_language(request, response.version,
                                     lambda ctx: _submit_page(request, token, link, response, ctx))


def _submit_page(request, token, link, response, lang_context):
    fd = svc.form_for(response.version)
    answers = svc.answers_by_key(response)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            svc.response_submit(response=response)
        except svc.RespondError as exc:
            return _message(request, exc, link.survey, token)
        except svc.AnswerError as exc:
            error = exc.message
            status = 400
        else:
            confirmed = request.session.get("surveys_confirmed", {})
            confirmed[token] = response.pk
            request.session["surveys_confirmed"] = confirmed
            return redirect("surveys:confirmation", token=token)
    missing = svc.missing_required(fd, response, answers)
    return render(request, "surveys/respond_review.html", {
        "survey": link.survey, "token": token, "rows": summary(fd, answers), "missing": missing, "error": error,
        "n_pages": len(fd.pages()), **lang_context,
    }, status=status)


def _confirmed_response(request, token) -> Response | None:
    pk = request.session.get("surveys_confirmed", {}).get(token)
    if pk:
        return Response.objects.filter(pk=pk, status=Response.Status.COMPLETE).select_related("survey", "version").first()
    try:
        link = svc.resolve_token(token)
    except svc.RespondError:
        return None
    if link.response is not None and link.response.status == Response.Status.COMPLETE:
        return link.response
    return None


def _confirmation_context(request, token):
    response = _confirmed_response(request, token)
    if response is None:
        return None
    fd = svc.form_for(response.version)
    return {"survey": response.survey, "response": response, "rows": summary(fd, svc.answers_by_key(response)),
            "token": token}


@loads(token=TOKEN)
def confirmation(request, token):
    context = _confirmation_context(request, token)
    if context is None:
        return _message(request, svc.RespondError(
            _("There is no submitted questionnaire to show for this link (in anonymous surveys only the browser used for submitting can show it)."), 404))
    return render(request, "surveys/confirmation.html", context)


@loads(token=TOKEN)
def confirmation_pdf(request, token):
    context = _confirmation_context(request, token)
    if context is None:
        return _message(request, svc.RespondError(_("There is no submitted questionnaire to show for this link."), 404))
    pdf = render_pdf("surveys/confirmation_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="antworten-{context["survey"].pk}.pdf"'
    return response


@loads(token=TOKEN)
def open_start(request, token):
    survey = Survey.objects.filter(open_token=token).exclude(open_token="").first() if token else None
    if survey is None:
        return _message(request, svc.RespondError(_("This survey link is not valid. Please check that you copied the whole link."), 404))
    try:
        svc.check_open(survey)
    except svc.RespondError as exc:
        return _message(request, exc, survey)
    if request.method == "POST":
        try:
            response = svc.response_start_open(survey=survey)
        except svc.RespondError as exc:
            return _message(request, exc, survey)
        messages.info(request, _("Keep the address of the next page to continue later or on another device."))
        return redirect("surveys:respond", token=response.token)
    return render(request, "surveys/open_start.html", {"survey": survey})


__all__ = ["Any"]
