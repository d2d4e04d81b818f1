"""Writes of the lines app, one module per topic: a line and its devices (``lines``), number
changes (``numbers``), equipment replacements (``replacements``), ports (``porting``), planned
maintenance (``maintenance``) and call barring and limits (``barring``)."""
