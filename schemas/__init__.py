"""Every marshmallow schema of the project, in one place to look: each lives beside what it validates."""

from app.check.schemas import (
    CheckRequestSchema,
    DraftSchema,
    LanguageMarkersSchema,
    LexiconSchema,
    RulesSchema,
    SetsSchema,
)
from app.editor.ledger import EventSchema
from app.guidance.schemas import GuidanceMetaSchema, LanguageContentSchema, VersionMetaSchema

__all__ = [
    "CheckRequestSchema",
    "DraftSchema",
    "EventSchema",
    "GuidanceMetaSchema",
    "LanguageContentSchema",
    "LanguageMarkersSchema",
    "LexiconSchema",
    "RulesSchema",
    "SetsSchema",
    "VersionMetaSchema",
]
