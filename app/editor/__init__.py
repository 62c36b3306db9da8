"""Editing: publishing new versions, proofing the Welsh, and the editors' commands."""
