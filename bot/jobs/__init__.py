"""Slow work after Slack's ack: durable jobs run by a bounded worker pool of linkgap's own."""

from __future__ import annotations

from bot.jobs.worker import GENERIC_ERROR, Handler, JobWorker, default_worker_id
from bot.store.repositories import ClaimedJob

__all__ = ["GENERIC_ERROR", "ClaimedJob", "Handler", "JobWorker", "default_worker_id"]
