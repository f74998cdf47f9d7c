"""Contributions: learners propose resources and fixes, moderators review them, and an
accepted proposal is written into the roadmap's Markdown, in the file's own style, with a
history anyone can read."""
