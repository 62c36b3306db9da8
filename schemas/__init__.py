"""Marshmallow schemas: the shape of guidance content files and of API requests."""
