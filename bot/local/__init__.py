"""Tools for running linkgap on one machine: a Slack Web API stand-in and the terminal shell."""
