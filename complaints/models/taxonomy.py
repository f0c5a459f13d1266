"""The violation taxonomy: versioned reference data loaded from complaints/data."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db


class ViolationType(db.Model):  # type: ignore[name-defined]
    """One violation code (`THR-01` …) with its labels and explanations in both languages."""

    __tablename__ = "violation_types"

    #: The stable code used in URLs, CSV columns and translations, e.g. ``THR-01``.
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: The family prefix (``THR``, ``ABU`` …) the form groups checkboxes by.
    family: Mapped[str] = mapped_column(String(8), index=True)
    #: Short label in Chinese.
    label_zh: Mapped[str] = mapped_column(String(200))
    #: Short label in English.
    label_en: Mapped[str] = mapped_column(String(200))
    #: One sentence a consumer can understand without legal knowledge, Chinese.
    explanation_zh: Mapped[str] = mapped_column(Text)
    #: The same sentence in English.
    explanation_en: Mapped[str] = mapped_column(Text)
    #: The rules the code is grounded in, as cited in DOMAIN.md.
    grounds: Mapped[str] = mapped_column(Text, default="")
    #: Taxonomy version this code belongs to; public datasets name it.
    taxonomy_version: Mapped[str] = mapped_column(String(16))
    #: Position in lists and forms.
    sort_order: Mapped[int] = mapped_column(Integer)
    #: Retired codes stay for old complaints but are not offered on the form.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, language: str) -> str:
        """The label in the given language (``zh…`` or anything else for English)."""
        return self.label_zh if language.startswith("zh") else self.label_en

    def explanation(self, language: str) -> str:
        """The explanation in the given language."""
        return self.explanation_zh if language.startswith("zh") else self.explanation_en
