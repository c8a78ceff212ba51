"""linkgap: how many backlinks a page needs to rank, and the link-building workflow in Slack."""

__version__ = "0.1.0"
