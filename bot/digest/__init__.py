"""The weekly campaign digest: its period arithmetic, its content, its chart and its message.

``periods`` says when a digest is due, ``assembly`` turns plain data into a
``Digest`` (pure: no database, no HTTP, no clock), ``chart`` draws the
referring-domain history as a PNG and ``render`` turns a ``Digest`` into Block
Kit. The scheduler and the store live at the edge and call into these.
"""
