"""Data providers behind one protocol: demo, csv, and (later) the live APIs."""
