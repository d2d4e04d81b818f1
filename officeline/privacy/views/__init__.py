"""Pages and endpoints of the privacy app: portal, console, the cookie banner, webhooks."""
