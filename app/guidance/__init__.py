"""The guidance itself: its content, the one store of its representations, and the views and pages that serve it."""
