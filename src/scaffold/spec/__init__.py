"""What configures a run: the project's ``scaffold.yaml`` and the generator specs."""
