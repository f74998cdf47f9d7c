"""A roadmap's Git source: the repository, branch and file a roadmap follows."""
