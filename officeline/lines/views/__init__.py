"""Pages of the lines app: the portal's and the console's, and those of ports and planned maintenance."""
