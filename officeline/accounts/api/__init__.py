"""The API base every endpoint builds on (``base``: who the caller is and whose data they may
touch; ``authentication``, ``pagination``, ``errors``), and the accounts app's own endpoints
(``serializers``, ``views``). ``officeline.api`` keeps only the router and the schema."""
