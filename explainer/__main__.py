import sys

from explainer.commands.cli import main

sys.exit(main())
