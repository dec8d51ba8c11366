import sys

from gd_desktop.app import main

sys.exit(main())
