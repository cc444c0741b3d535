"""One module per ``phidetect`` subcommand. Each has ``add_parser(commands)``, which adds
its subparser and sets ``run`` (args -> exit code) as the parser's ``run`` default."""
