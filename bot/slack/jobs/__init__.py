"""The Slack side of background work: job runners that post and update messages after the ack."""
