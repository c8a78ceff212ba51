"""The link-gap analysis: a pure function from SERP + referring domains + settings to a report."""
