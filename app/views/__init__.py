"""One blueprint per capability. Views parse the request, call plain functions and render."""
