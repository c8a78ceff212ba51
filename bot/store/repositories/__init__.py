"""Small typed functions over a ``Session`` that the rest of linkgap calls.

They neither commit nor roll back: the caller owns the transaction
(``bot.store.db.transaction`` / ``write_transaction``), so writes that belong
together land together or not at all. Every function takes the workspace id
and filters by it, which is what keeps tenants apart.
"""

from __future__ import annotations

from bot.store.repositories.analyses import (
    recent_analyses,
    record_analysis,
)
from bot.store.repositories.cache import (
    DEFAULT_TTL,
    cache_get,
    cache_key_for,
    cache_put,
    purge_expired_cache,
)
from bot.store.repositories.campaigns import (
    CampaignExists,
    CampaignSpec,
    archive_campaign,
    create_campaign,
    find_local_campaign,
    get_campaign,
    keyword_key,
    list_campaigns,
    resume_campaign,
)
from bot.store.repositories.digests import (
    DigestClaim,
    claim_digest,
    last_posted_period,
    mark_failed,
    mark_posted,
    mark_posting,
)
from bot.store.repositories.effects import (
    EffectState,
    begin_effect,
    note_file,
    purge_settled_effects,
    settle_effect,
)
from bot.store.repositories.events import (
    mark_event_processed,
    purge_processed_events,
)
from bot.store.repositories.jobs import (
    DEFAULT_LEASE,
    ClaimedJob,
    cancel_queued_jobs,
    claim_job,
    complete_job,
    enqueue_job,
    fail_job,
    get_job,
    hold_queued_jobs,
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
from bot.store.repositories.metrics import (
    upsert_campaign_metrics,
)
from bot.store.repositories.placements import (
    NewPlacement,
    campaign_placements,
    claim_explanation,
    create_placement,
    current_votes,
    get_placement,
    overriding_voters,
    placement_of_job,
    record_vote,
    transition,
)
from bot.store.repositories.site_crawls import (
    load_crawl,
    purge_expired_crawls,
    save_crawl,
)
from bot.store.repositories.snapshots import (
    PageSnapshot,
    snapshot_at_or_before,
    snapshot_history,
    upsert_snapshot,
)
from bot.store.repositories.workspaces import (
    disable_workspace,
    enable_workspace,
    get_or_create_local_workspace,
    get_or_create_workspace,
    get_workspace,
    update_workspace_settings,
)

__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_TTL",
    "CampaignExists",
    "CampaignSpec",
    "ClaimedJob",
    "DigestClaim",
    "EffectState",
    "NewPlacement",
    "PageSnapshot",
    "archive_campaign",
    "begin_effect",
    "cache_get",
    "cache_key_for",
    "cache_put",
    "campaign_placements",
    "cancel_queued_jobs",
    "claim_digest",
    "claim_explanation",
    "claim_job",
    "complete_job",
    "create_campaign",
    "create_placement",
    "current_votes",
    "disable_workspace",
    "enable_workspace",
    "enqueue_job",
    "fail_job",
    "find_local_campaign",
    "find_message",
    "find_subject_message",
    "get_campaign",
    "get_job",
    "get_or_create_local_workspace",
    "get_or_create_workspace",
    "get_placement",
    "get_workspace",
    "hold_queued_jobs",
    "keyword_key",
    "last_posted_period",
    "list_campaigns",
    "load_crawl",
    "mark_event_processed",
    "mark_failed",
    "mark_posted",
    "mark_posting",
    "note_file",
    "overriding_voters",
    "placement_of_job",
    "purge_expired_cache",
    "purge_expired_crawls",
    "purge_finished_jobs",
    "purge_processed_events",
    "purge_settled_effects",
    "recent_analyses",
    "record_analysis",
    "record_vote",
    "renew_lease",
    "resume_campaign",
    "retry_job",
    "save_crawl",
    "save_message",
    "settle_effect",
    "snapshot_at_or_before",
    "snapshot_history",
    "transition",
    "update_message_content",
    "update_workspace_settings",
    "upsert_campaign_metrics",
    "upsert_snapshot",
]
