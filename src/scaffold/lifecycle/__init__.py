"""A project's life around its generations: init, update, destroy, doctor."""
