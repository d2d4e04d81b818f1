"""Writes of the privacy app, one module per topic.

Marketing (PRIV-4): ``consents``, ``unsubscribe``, ``marketing``, ``sms_replies``;
cookies (PRIV-5): ``cookie_choices``; requests (PRIV-6, PRIV-7): ``rights``,
``export_requests``, ``exports``, ``export_data``, ``erasure``; retention (PRIV-8):
``retention``, ``after_contract``, ``legal_holds``; ``disclosures`` (PRIV-9); the staff
access log (PRIV-10): ``access_log``; ``policy_opt_outs`` (PRIV-12).
"""
