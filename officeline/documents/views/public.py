"""Public pages: published documents (INFO-2) and the information page per market (INFO-1)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.generic import TemplateView

from officeline.accounts.models import Operator, OperatorMarket
from officeline.documents import appendices, selectors
from officeline.documents.choices import DocumentKind, ServiceFeature
from officeline.documents.markdown import render_markdown
from officeline.documents.models import Document, DocumentVersion
from officeline.markets.definitions import MARKETS, Market, UnknownMarket, get_market


def _market(code: str) -> Market:
    try:
        return get_market(code)
    except UnknownMarket:
        raise Http404("unknown market") from None


def _kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        raise Http404("unknown document") from None


def _page_language() -> str:
    return (get_language() or "en").split("-")[0]


class DocumentsIndexView(TemplateView):
    """The markets, each with its published documents and information page."""

    template_name = "documents/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["markets"] = [get_market(code) for code in MARKETS]
        return context


class MarketDocumentsView(TemplateView):
    """The documents a market publishes, each with its version and "last updated" date."""

    template_name = "documents/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        market = _market(kwargs["market"])
        language = _page_language()
        rows = []
        for kind in DocumentKind:
            document = selectors.document_for(market.code.value, kind.value, language)
            version = document.current_version() if document else None
            if document and version:
                rows.append({"kind": kind, "document": document, "version": version})
        context.update(market=market, rows=rows)
        return context


class DocumentView(TemplateView):
    """One document: its current version (or a given one), and its earlier versions."""

    template_name = "documents/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        market = _market(kwargs["market"])
        kind = _kind(kwargs["kind"])
        language = _page_language()
        document: Document | None = selectors.document_for(market.code.value, kind.value, language)
        if document is None:
            raise Http404("this market publishes no such document")
        current = document.current_version()
        if current is None:
            raise Http404("this document has no published version")
        version: DocumentVersion = current
        if "version" in kwargs:
            version = get_object_or_404(
                DocumentVersion,
                document=document,
                version=kwargs["version"],
                published_at__isnull=False,
            )
        is_current = version.pk == current.pk
        context.update(
            upcoming=document.upcoming_version(),
            market=market,
            kind=kind,
            document=document,
            version=version,
            is_current=is_current,
            current=current,
            versions=document.versions.filter(published_at__isnull=False).order_by(
                "-published_at", "-pk"
            ),
            body_html=render_markdown(version.body),
            other_language=document.language != language,
            appendices=appendices.for_document(kind.value, market.code.value) if is_current else [],
        )
        return context


class InfoPageView(TemplateView):
    """INFO-1: what the operator must publish, per market, from the operator's settings only.

    Every operator fact on this page comes from ``Operator`` and
    ``OperatorMarket`` (and the market's definition); the page holds no
    operator text of its own. What the service includes is the operator's
    ``service_includes`` parameter (default: everything Officeline provides)
    and its optional ``service_description``.
    """

    template_name = "documents/info.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        market = _market(kwargs["market"])
        settings_row = (
            OperatorMarket.objects.select_related("operator")
            .filter(market=market.code.value)
            .first()
        )
        if settings_row is None:
            raise Http404("the operator has not set up this market yet")
        operator: Operator = settings_row.operator
        included = settings_row.parameter("service_includes", list(ServiceFeature.values))
        if not isinstance(included, list):  # a malformed setting shows everything, not nothing
            included = list(ServiceFeature.values)
        features = [f for f in ServiceFeature if f.value in included]
        language = _page_language()
        documents = []
        for kind in DocumentKind:
            version = selectors.current_version(market.code.value, kind.value, language)
            if version is not None:
                documents.append({"kind": kind, "version": version})
        context.update(
            market=market,
            operator=operator,
            om=settings_row,
            features=features,
            service_description=settings_row.parameter("service_description", ""),
            documents=documents,
            has_terms=any(d["kind"] == DocumentKind.TERMS for d in documents),
            appendices=appendices.for_document(appendices.INFO_PAGE, market.code.value),
        )
        return context
