from scaffold.commands.entry import run

run()
