"""Slack surfaces of linkgap: the Bolt app, its listeners, commands, jobs and Block Kit."""
