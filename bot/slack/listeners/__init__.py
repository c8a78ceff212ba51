"""Bolt listeners: what the app does when Slack sends a command, an event, an action or a view."""
