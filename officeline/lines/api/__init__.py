"""Lines, devices, replacements, ports and planned maintenance in the API."""
