"""Pages of the documents app: the public documents and information pages, the console."""
