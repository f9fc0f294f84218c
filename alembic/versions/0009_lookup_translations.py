"""Lookup rows carry their label in other languages (Ukrainian first), so no screen or report shows a code.

The default rows seeded by revisions 0001–0003 get their Ukrainian label here, so a fresh database
speaks both languages; a programme names the rows it adds itself (docs/languages.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOOKUPS = ("contamination_type", "evidence_type", "blockage_type", "method", "context_layer")

# The Ukrainian labels of the default rows, by table and code (the English ones are in 0001–0003).
UKRAINIAN: dict[str, dict[str, str]] = {
    "contamination_type": {
        "ap_mine": "Протипіхотна міна",
        "at_mine": "Протитранспортна (протитанкова) міна",
        "uxo": "Боєприпас, що не розірвався",
        "axo": "Залишений вибухонебезпечний боєприпас",
        "submunition": "Залишок касетного боєприпасу (суббоєприпас)",
        "ied": "Саморобний вибуховий пристрій",
        "booby_trap": "Міна-пастка",
    },
    "evidence_type": {
        "detonation": "Вибухи",
        "accident_known_location": "Нещасний випадок у відомому місці",
        "reliable_record": "Достовірні записи",
        "mine_sign_or_fencing": "Знаки мінної небезпеки або огородження",
        "item_seen": "Бачені вибухонебезпечні предмети",
        "former_front_line": "Колишня лінія фронту або зона бойових дій",
        "accident_unknown_location": "Нещасний випадок у невідомому місці",
        "unreliable_record": "Недостовірні записи",
        "unused_productive_land": "Продуктивні землі, що не використовуються",
        "verbal_report": "Усні повідомлення",
        "old_survey": "Давнє обстеження",
    },
    "blockage_type": {
        "farmland": "Сільськогосподарські угіддя",
        "water": "Вода",
        "road": "Дорога",
        "housing": "Житло",
        "school": "Школа",
        "health": "Заклад охорони здоров’я",
        "infrastructure": "Інфраструктура",
    },
    "method": {
        "nts": "Нетехнічне обстеження (виїзди, опитування, документи)",
        "manual": "Ручне розмінування (сапери з металошукачами та щупами)",
        "mechanical": "Механізоване розмінування (тралі, фрези, екскаватори)",
        "mdd": "Мінно-розшукові собаки",
        "drone_remote_sensing": "Дрони або дистанційне зондування",
    },
    "context_layer": {
        "road": "Дороги та шляхи",
        "school": "Школи та дитячі садки",
        "health": "Заклади охорони здоров’я",
        "water": "Водозабірні пункти та водопостачання",
        "farmland": "Сільськогосподарські угіддя",
        "power": "Лінії електропередачі та підстанції",
        "infrastructure": "Інша інфраструктура (мости, залізниця, газ, зв’язок)",
        "front_line": "Лінія зіткнення (для обмежень за відстанню)",
    },
}


def upgrade() -> None:
    """Apply this revision."""
    for table in LOOKUPS:
        op.add_column(table, sa.Column("translations", JSONB(), server_default="{}", nullable=False))
    # Only rows that have no Ukrainian label yet, and only the default codes: a programme's own rows
    # (and their own translations) are left as they are.
    for table, labels in UKRAINIAN.items():
        for code, label in labels.items():
            op.execute(
                sa.text(
                    f"UPDATE {table} SET translations = translations || jsonb_build_object('uk', CAST(:label AS text)) "
                    "WHERE code = :code AND NOT translations ? 'uk'"
                ).bindparams(label=label, code=code)
            )


def downgrade() -> None:
    """Revert this revision."""
    for table in LOOKUPS:
        op.drop_column(table, "translations")
