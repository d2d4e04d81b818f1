"""Forms of the lines app: lines and devices, ports, planned maintenance."""
