"""Every marshmallow schema of the project, in one place to look: each lives beside what it validates."""

from app.check.schemas import (
    CheckRequestSchema,
    DraftSchema,
    LanguageMarkersSchema,
    LexiconSchema,
    RulesSchema,
    SetsSchema,
)
from app.guidance.schemas import GuidanceMetaSchema, LanguageContentSchema, VersionMetaSchema

__all__ = [
    "CheckRequestSchema",
    "DraftSchema",
    "GuidanceMetaSchema",
    "LanguageContentSchema",
    "LanguageMarkersSchema",
    "LexiconSchema",
    "RulesSchema",
    "SetsSchema",
    "VersionMetaSchema",
]
