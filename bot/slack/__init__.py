"""Slack surfaces of linkgap: the Bolt app, its templates, and a local stand-in of Slack."""
