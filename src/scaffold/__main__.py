from scaffold.commands.main import run

run()
