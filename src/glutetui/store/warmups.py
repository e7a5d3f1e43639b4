"""Warm-up sessions: a row when one starts, updated as it goes and when it ends."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlite_utils import Database

from glutetui.domain.timefmt import to_utc_text


def start_warmup(db: Database, *, summary: dict, started_at: datetime) -> str:
    warmup_id = str(uuid.uuid4())
    stamp = to_utc_text(started_at)
    with db.atomic():
        db["warmups"].insert({"id": warmup_id, **summary, "started_at": stamp, "ended_at": None, "created_at": stamp})
    return warmup_id


def save_warmup(db: Database, warmup_id: str, *, summary: dict, now: datetime, ended_at: datetime | None = None) -> None:
    fields = {**summary, "updated_at": to_utc_text(now)}
    if ended_at is not None:
        fields["ended_at"] = to_utc_text(ended_at)
    with db.atomic():
        db["warmups"].update(warmup_id, fields)
