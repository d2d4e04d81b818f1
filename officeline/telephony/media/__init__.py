"""The project's own SIP user agents (pjsua2): the echo test, voicemail, and the local
carrier trunk and emergency gateway. Each runs as a process of its own
(``officeline sip_endpoint ROLE``), managed by the Django side like Kamailio and rtpengine."""
