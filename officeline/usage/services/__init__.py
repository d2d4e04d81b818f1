"""Writes of the usage app, one module per topic: call records folded from the SIP core
(``calls``), voicemail (``voicemail``) and acceptable-use reviews (``reviews``)."""
