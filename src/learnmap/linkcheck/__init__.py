"""Link health: checking every resource link, in the CLI, in the background and on the site."""
