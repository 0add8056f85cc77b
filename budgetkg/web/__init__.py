"""Linked-data publishing: the site's pages, the HTTP server and the static export."""
