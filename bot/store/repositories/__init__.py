"""Small typed functions over a ``Session`` that the rest of linkgap calls.

They neither commit nor roll back: the caller owns the transaction
(``bot.store.db.transaction`` / ``write_transaction``), so writes that belong
together land together or not at all. Every function takes the workspace id
and filters by it, which is what keeps tenants apart.
"""

from __future__ import annotations

from bot.store.repositories.analyses import recent_analyses, record_analysis
from bot.store.repositories.cache import cache_get, cache_key_for, cache_put, purge_expired_cache
from bot.store.repositories.campaigns import (
    CampaignExists,
    CampaignSpec,
    archive_campaign,
    create_campaign,
    get_campaign,
    keyword_key,
    list_campaigns,
)
from bot.store.repositories.events import mark_event_processed, purge_processed_events
from bot.store.repositories.jobs import (
    ClaimedJob,
    claim_job,
    complete_job,
    enqueue_job,
    fail_job,
    get_job,
    purge_finished_jobs,
    renew_lease,
    retry_job,
)
from bot.store.repositories.messages import (
    find_message,
    find_subject_message,
    save_message,
    update_message_content,
)
from bot.store.repositories.snapshots import (
    PageSnapshot,
    snapshot_at_or_before,
    snapshot_history,
    upsert_snapshot,
)
from bot.store.repositories.workspaces import (
    get_or_create_local_workspace,
    get_or_create_workspace,
    get_workspace,
    update_workspace_settings,
)

__all__ = [
    "CampaignExists",
    "CampaignSpec",
    "ClaimedJob",
    "PageSnapshot",
    "archive_campaign",
    "cache_get",
    "cache_key_for",
    "cache_put",
    "claim_job",
    "complete_job",
    "create_campaign",
    "enqueue_job",
    "fail_job",
    "find_message",
    "find_subject_message",
    "get_campaign",
    "get_job",
    "get_or_create_local_workspace",
    "get_or_create_workspace",
    "get_workspace",
    "keyword_key",
    "list_campaigns",
    "mark_event_processed",
    "purge_expired_cache",
    "purge_finished_jobs",
    "purge_processed_events",
    "recent_analyses",
    "record_analysis",
    "renew_lease",
    "retry_job",
    "save_message",
    "snapshot_at_or_before",
    "snapshot_history",
    "update_message_content",
    "update_workspace_settings",
    "upsert_snapshot",
]
